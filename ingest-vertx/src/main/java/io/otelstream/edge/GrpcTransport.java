package io.otelstream.edge;

import com.google.protobuf.Message;
import io.otelstream.schemas.Signal;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.time.Duration;
import java.util.Base64;

/** OTLP/gRPC: the three Export methods, on raw frames so decompression stays bounded. */
final class GrpcTransport {
  private static final String TRANSPORT = "grpc";

  private final ExportService exports;
  private final Authenticator auth;
  private final EdgeMetrics metrics;
  private final Duration retryAfter;
  private final long maxRequestBytes;
  private final long bodyReadTimeoutMs;

  GrpcTransport(
      ExportService exports, Authenticator auth, EdgeMetrics metrics, EdgeConfig.Limits limits) {
    this.exports = exports;
    this.auth = auth;
    this.metrics = metrics;
    this.retryAfter = limits.retryAfter();
    this.maxRequestBytes = limits.maxRequestBytes().bytes();
    this.bodyReadTimeoutMs = limits.bodyReadTimeout().toMillis();
  }

  void handle(GrpcServerRequest<Buffer, Buffer> request) {
    Call call = new Call(request.response());
    Signal signal = Signal.byGrpcMethod(request.fullMethodName());
    if (signal == null) {
      request.handler(b -> {});
      call.fail(
          null,
          new EdgeError(
              EdgeError.Kind.NOT_FOUND, "not_found", "unknown method " + request.fullMethodName()));
      return;
    }
    metrics.requestReceived(signal, TRANSPORT);
    String tenant;
    try {
      tenant = auth.tenant(request.headers().get("authorization"));
    } catch (EdgeError e) {
      request.handler(b -> {});
      call.fail(signal, e);
      return;
    }
    // vertx-grpc assembles the message before handing it over, so the largest one is reserved
    // while it arrives and the reservation shrinks to the message once it is there.
    Reservation reservation = exports.newReservation();
    try {
      reservation.reserve(maxRequestBytes);
    } catch (EdgeError e) {
      request.handler(b -> {});
      call.fail(signal, e);
      return;
    }
    call.reservation = reservation;
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.currentContext().owner();
    long timer =
        vertx.setTimer(
            bodyReadTimeoutMs,
            t -> {
              if (!call.done && !call.exporting) {
                call.fail(signal, bodyReadTimeout(bodyReadTimeoutMs));
              }
            });
    request.exceptionHandler(e -> call.abandon());
    GrpcMessage[] message = new GrpcMessage[1];
    request.invalidMessageHandler(
        invalid ->
            call.fail(
                signal,
                new EdgeError(
                    EdgeError.Kind.TOO_LARGE,
                    "request_too_large",
                    "message is larger than the limit ("
                        + invalid.getMessage()
                        + "); send smaller batches")));
    request.messageHandler(
        m -> {
          message[0] = m;
          reservation.shrinkTo(m.payload().length());
        });
    request.endHandler(
        v -> {
          vertx.cancelTimer(timer);
          if (call.done) {
            return;
          }
          if (message[0] == null) {
            call.fail(
                signal,
                new EdgeError(
                    EdgeError.Kind.INVALID, "empty_request", "no request message received"));
            return;
          }
          GrpcMessage m = message[0];
          call.exporting = true;
          exports
              .export(
                  signal,
                  ExportCodec.Format.PROTOBUF,
                  m.encoding(),
                  m.payload().getBytes(),
                  tenant,
                  reservation)
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      call.succeed(ar.result());
                    } else {
                      call.fail(signal, asEdgeError(ar.cause()));
                    }
                  });
        });
  }

  /** A body that did not arrive within the read timeout (a stalled or very slow client). */
  static EdgeError bodyReadTimeout(long timeoutMs) {
    return new EdgeError(
        EdgeError.Kind.TIMEOUT,
        "body_read_timeout",
        "the request body did not arrive within " + timeoutMs + " ms");
  }

  static EdgeError asEdgeError(Throwable t) {
    return t instanceof EdgeError e
        ? e
        : new EdgeError(
            EdgeError.Kind.UNAVAILABLE,
            "internal",
            "internal error: " + t.getMessage() + "; retry later");
  }

  /** One call's response, answered at most once. */
  private final class Call {
    private final GrpcServerResponse<Buffer, Buffer> response;
    private boolean done;
    private boolean exporting; // the export owns the reservation from then on
    private Reservation reservation;

    /** The stream ended before the request did: nothing to answer, the reservation goes back. */
    void abandon() {
      if (!exporting && reservation != null) {
        done = true;
        reservation.release();
      }
    }

    Call(GrpcServerResponse<Buffer, Buffer> response) {
      this.response = response;
    }

    void succeed(Message message) {
      if (!done) {
        done = true;
        response.end(Buffer.buffer(message.toByteArray()));
      }
    }

    void fail(Signal signal, EdgeError error) {
      if (done) {
        return;
      }
      done = true;
      if (!exporting && reservation != null) {
        reservation.release();
      }
      metrics.requestRejected(signal, TRANSPORT, error.reason);
      // grpc-status-details-bin carries google.rpc.Status (with RetryInfo when retryable); binary
      // metadata is base64 on the wire.
      response
          .trailers()
          .set(
              "grpc-status-details-bin",
              Base64.getEncoder()
                  .withoutPadding()
                  .encodeToString(ErrorStatus.of(error, retryAfter).toByteArray()));
      response
          .status(GrpcStatus.valueOf(error.kind.grpcCode))
          .statusMessage(error.getMessage())
          .end();
    }
  }
}
