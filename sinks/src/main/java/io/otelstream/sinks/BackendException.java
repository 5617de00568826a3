package io.otelstream.sinks;

/** A backend refused a batch. Retriable ones keep offsets back and are sent again. */
public class BackendException extends Exception {
  private final boolean retriable;
  private final String reason;

  public BackendException(String message, boolean retriable, String reason, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
    this.reason = reason;
  }

  public boolean retriable() {
    return retriable;
  }

  /** Bounded metric label: timeout, connection, http_503, http_400, io, ... */
  public String reason() {
    return reason;
  }
}
