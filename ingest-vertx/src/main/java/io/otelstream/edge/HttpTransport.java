package io.otelstream.edge;

import com.google.protobuf.Message;
import io.otelstream.schemas.Signal;
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
  private final long bodyReadTimeoutMs;

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
    this.bodyReadTimeoutMs = limits.bodyReadTimeout().toMillis();
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
    readBody(request, signal, format, tenant, length == null ? -1 : parseLong(length));
  }

  /**
   * Reads the body into the request's in-flight reservation: the declared length up front (503 at
   * once when the budget cannot take it, before a byte is read), chunks as they come otherwise. A
   * body not complete within the read timeout is answered 408 and its connection closed, so stalled
   * uploads never hold the budget.
   */
  private void readBody(
      HttpServerRequest request,
      Signal signal,
      ExportCodec.Format format,
      String tenant,
      long declared) {
    Reservation reservation = exports.newReservation();
    try {
      reservation.reserve(Math.max(0, declared));
    } catch (EdgeError e) {
      cutOff(request, signal, format, reservation, e);
      return;
    }
    RequestBody body = new RequestBody(declared);
    boolean[] done = new boolean[1];
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.currentContext().owner();
    long timer =
        vertx.setTimer(
            bodyReadTimeoutMs,
            t -> {
              if (!done[0]) {
                done[0] = true;
                cutOff(
                    request,
                    signal,
                    format,
                    reservation,
                    GrpcTransport.bodyReadTimeout(bodyReadTimeoutMs));
              }
            });
    request.exceptionHandler(
        e -> {
          if (!done[0]) {
            done[0] = true; // the client went away mid-body: nobody to answer
            vertx.cancelTimer(timer);
            reservation.release();
          }
        });
    request.handler(
        chunk -> {
          if (done[0]) {
            return;
          }
          EdgeError refused = null;
          if (body.size() + chunk.length() > maxRequestBytes) {
            refused = tooLarge();
          } else {
            long beyond = body.size() + chunk.length() - Math.max(0, declared);
            try {
              // Undeclared (chunked) bodies grow by copying: twice the chunk is held for a moment.
              reservation.reserve(declared < 0 ? 2L * chunk.length() : Math.max(0, beyond));
            } catch (EdgeError e) {
              refused = e;
            }
          }
          if (refused != null) {
            done[0] = true;
            vertx.cancelTimer(timer);
            cutOff(request, signal, format, reservation, refused);
            return;
          }
          body.append(chunk);
        });
    request.endHandler(
        v -> {
          if (done[0]) {
            return;
          }
          done[0] = true;
          vertx.cancelTimer(timer);
          byte[] bytes = body.bytes();
          reservation.shrinkTo(bytes.length);
          exports
              .export(
                  signal, format, request.getHeader("content-encoding"), bytes, tenant, reservation)
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      respond(request.response(), 200, format, ar.result());
                    } else {
                      fail(request, signal, format, GrpcTransport.asEdgeError(ar.cause()));
                    }
                  });
        });
  }

  /** Answers a request whose body will not be read to its end, and ends its connection. */
  private void cutOff(
      HttpServerRequest request,
      Signal signal,
      ExportCodec.Format format,
      Reservation reservation,
      EdgeError error) {
    reservation.release();
    if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      fail(request, signal, format, error);
      request.response().reset(); // this stream only; the connection's others go on
    } else {
      request.response().putHeader("Connection", "close");
      // Closed once the answer is written: the rest of the body is never read.
      request.response().endHandler(v -> request.connection().close());
      fail(request, signal, format, error);
    }
  }

  /** A request body, in an array of its declared size when it has one (no copy at the end). */
  private static final class RequestBody {
    private final byte[] exact;
    private Buffer growing;
    private int size;

    RequestBody(long declared) {
      this.exact = declared >= 0 ? new byte[(int) declared] : null;
      this.growing = declared >= 0 ? null : Buffer.buffer();
    }

    int size() {
      return size;
    }

    void append(Buffer chunk) {
      if (growing == null && size + chunk.length() <= exact.length) {
        chunk.getBytes(0, chunk.length(), exact, size);
      } else {
        if (growing == null) {
          growing = Buffer.buffer().appendBytes(exact, 0, size);
        }
        growing.appendBuffer(chunk);
      }
      size += chunk.length();
    }

    byte[] bytes() {
      if (growing == null) {
        return size == exact.length ? exact : java.util.Arrays.copyOf(exact, size);
      }
      return growing.getBytes();
    }
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
