package io.otelstream.sinks;

import java.time.Duration;

/** A backend refused a batch. Retriable ones keep offsets back and are sent again. */
public class BackendException extends Exception {
  private final boolean retriable;
  private final String reason;
  private final Duration retryAfter;

  public BackendException(String message, boolean retriable, String reason, Throwable cause) {
    this(message, retriable, reason, cause, null);
  }

  /**
   * @param retryAfter how long the backend asked to wait (HTTP Retry-After, gRPC RetryInfo), or
   *     null
   */
  public BackendException(
      String message, boolean retriable, String reason, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.retriable = retriable;
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public boolean retriable() {
    return retriable;
  }

  /** Bounded metric label: timeout, connection, http_503, http_400, io, ... */
  public String reason() {
    return reason;
  }

  /** The wait the backend asked for, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
