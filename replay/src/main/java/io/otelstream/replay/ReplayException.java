package io.otelstream.replay;

/** A replay that cannot run as asked; the message says why and what to do. Nothing was changed. */
public final class ReplayException extends IllegalArgumentException {
  public ReplayException(String message) {
    super(message);
  }
}
