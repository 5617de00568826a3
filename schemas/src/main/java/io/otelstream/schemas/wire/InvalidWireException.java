package io.otelstream.schemas.wire;

/** Bytes that are not a valid protobuf message; the message names the problem. */
public final class InvalidWireException extends RuntimeException {
  public InvalidWireException(String message) {
    super(message, null, false, false); // thrown per bad request: no stack trace needed
  }
}
