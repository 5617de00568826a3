package io.otelstream.edge;

/** A request the edge refuses, with the status it maps to on each transport. */
final class EdgeError extends RuntimeException {
  /** The rows of DESIGN.md's error table. */
  enum Kind {
    INVALID(400, 3, "invalid_request"), // INVALID_ARGUMENT
    TOO_LARGE(413, 8, "too_large"), // RESOURCE_EXHAUSTED
    UNSUPPORTED_MEDIA_TYPE(415, 12, "unsupported_media_type"), // UNIMPLEMENTED
    METHOD_NOT_ALLOWED(405, 12, "method_not_allowed"),
    NOT_FOUND(404, 12, "not_found"),
    UNAUTHENTICATED(401, 16, "unauthenticated"),
    UNAVAILABLE(503, 14, "unavailable");

    final int httpStatus;
    final int grpcCode;
    final String reason;

    Kind(int httpStatus, int grpcCode, String reason) {
      this.httpStatus = httpStatus;
      this.grpcCode = grpcCode;
      this.reason = reason;
    }

    boolean retryable() {
      return this == UNAVAILABLE;
    }
  }

  final Kind kind;

  /** Finer metric label, e.g. kafka_unavailable vs inflight_limit, within one kind. */
  final String reason;

  EdgeError(Kind kind, String reason, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.reason = reason;
  }

  EdgeError(Kind kind, String message) {
    this(kind, kind.reason, message);
  }
}
