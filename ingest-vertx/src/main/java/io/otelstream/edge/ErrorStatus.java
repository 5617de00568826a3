package io.otelstream.edge;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import java.time.Duration;

/** The google.rpc.Status body OTLP prescribes for errors, with RetryInfo on retryable ones. */
final class ErrorStatus {
  private ErrorStatus() {}

  static Status of(EdgeError error, Duration retryAfter) {
    Status.Builder status =
        Status.newBuilder().setCode(error.kind.grpcCode).setMessage(error.getMessage());
    if (error.kind.retryable()) {
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(
                      com.google.protobuf.Duration.newBuilder()
                          .setSeconds(retryAfter.getSeconds())
                          .setNanos(retryAfter.getNano()))
                  .build()));
    }
    return status.build();
  }

  /** Whole seconds for Retry-After, at least 1. */
  static String retryAfterSeconds(Duration retryAfter) {
    return Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }
}
