package io.otelstream.edge;

import com.google.protobuf.Message;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** OTLP/HTTP: POST /v1/{traces,metrics,logs} with protobuf or JSON bodies. */
final class HttpTransport {
  private static final String TRANSPORT = "http";
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final ExportService exports;
  private final Authenticator auth;
  private final EdgeMetrics metrics;
  private final Cors cors;
  private final long maxRequestBytes;
  private final Duration retryAfter;

  HttpTransport(
      ExportService exports,
      Authenticator auth,
      EdgeMetrics metrics,
      Cors cors,
      EdgeConfig.Limits limits) {
    this.exports = exports;
    this.auth = auth;
    this.metrics = metrics;
    this.cors = cors;
    this.maxRequestBytes = limits.maxRequestBytes().bytes();
    this.retryAfter = limits.retryAfter();
  }

  void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (cors.apply(request, response)) {
      return; // preflight answered
    }
    Signal signal = Signal.byHttpPath(request.path());
    ExportCodec.Format format = format(request.getHeader("content-type"));
    ExportCodec.Format errorFormat = format != null ? format : ExportCodec.Format.JSON;
    if (signal == null) {
      fail(
          request,
          null,
          errorFormat,
          new EdgeError(
              EdgeError.Kind.NOT_FOUND,
              "not_found",
              "no OTLP endpoint at "
                  + request.path()
                  + "; use /v1/traces, /v1/metrics or /v1/logs"));
      return;
    }
    metrics.requestReceived(signal, TRANSPORT);
    if (request.method() != HttpMethod.POST) {
      response.putHeader("Allow", "POST");
      fail(
          request,
          signal,
          errorFormat,
          new EdgeError(
              EdgeError.Kind.METHOD_NOT_ALLOWED,
              "method_not_allowed",
              "method "
                  + request.method()
                  + " is not allowed on "
                  + request.path()
                  + "; use POST"));
      return;
    }
    if (format == null) {
      fail(
          request,
          signal,
          errorFormat,
          new EdgeError(
              EdgeError.Kind.UNSUPPORTED_MEDIA_TYPE,
              "unsupported_media_type",
              "content type '"
                  + request.getHeader("content-type")
                  + "' is not supported; send "
                  + PROTOBUF
                  + " or "
                  + JSON));
      return;
    }
    String tenant;
    try {
      tenant = auth.tenant(request.getHeader("authorization"));
    } catch (EdgeError e) {
      fail(request, signal, format, e);
      return;
    }
    String length = request.getHeader("content-length");
    if (length != null && parseLong(length) > maxRequestBytes) {
      response.putHeader("Connection", "close");
      fail(request, signal, format, tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] failed = new boolean[1];
    request.handler(
        chunk -> {
          if (failed[0]) {
            return;
          }
          if (body.length() + chunk.length() > maxRequestBytes) {
            failed[0] = true;
            response.putHeader("Connection", "close");
            fail(request, signal, format, tooLarge());
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (failed[0]) {
            return;
          }
          exports
              .export(
                  signal, format, request.getHeader("content-encoding"), body.getBytes(), tenant)
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      respond(response, 200, format, ar.result());
                    } else {
                      fail(request, signal, format, GrpcTransport.asEdgeError(ar.cause()));
                    }
                  });
        });
  }

  private EdgeError tooLarge() {
    return new EdgeError(
        EdgeError.Kind.TOO_LARGE,
        "request_too_large",
        "request body is larger than the limit of "
            + maxRequestBytes
            + " bytes; send smaller batches");
  }

  private void fail(
      HttpServerRequest request, Signal signal, ExportCodec.Format format, EdgeError error) {
    metrics.requestRejected(signal, TRANSPORT, error.reason);
    HttpServerResponse response = request.response();
    if (error.kind.retryable()) {
      response.putHeader("Retry-After", ErrorStatus.retryAfterSeconds(retryAfter));
    }
    respond(response, error.kind.httpStatus, format, ErrorStatus.of(error, retryAfter));
  }

  private static void respond(
      HttpServerResponse response, int status, ExportCodec.Format format, Message body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status);
    if (format == ExportCodec.Format.JSON) {
      response
          .putHeader("Content-Type", JSON)
          .end(Buffer.buffer(OtlpJson.print(body).getBytes(StandardCharsets.UTF_8)));
    } else {
      response.putHeader("Content-Type", PROTOBUF).end(Buffer.buffer(body.toByteArray()));
    }
  }

  static ExportCodec.Format format(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    if (mime.equalsIgnoreCase(PROTOBUF)) {
      return ExportCodec.Format.PROTOBUF;
    }
    return mime.equalsIgnoreCase(JSON) ? ExportCodec.Format.JSON : null;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
