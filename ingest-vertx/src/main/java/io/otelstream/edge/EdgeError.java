package io.otelstream.edge;

/** A request the edge refuses, with the status it maps to on each transport. */
final class EdgeError extends RuntimeException {
  /** The rows of DESIGN.md's error table. */
  enum Kind {
    INVALID(400, 3), // INVALID_ARGUMENT
    TOO_LARGE(413, 8), // RESOURCE_EXHAUSTED
    UNSUPPORTED_MEDIA_TYPE(415, 12), // UNIMPLEMENTED
    METHOD_NOT_ALLOWED(405, 12),
    NOT_FOUND(404, 12),
    UNAUTHENTICATED(401, 16),
    TIMEOUT(408, 4), // DEADLINE_EXCEEDED: a body that did not arrive in time
    UNAVAILABLE(503, 14);

    final int httpStatus;
    final int grpcCode;

    Kind(int httpStatus, int grpcCode) {
      this.httpStatus = httpStatus;
      this.grpcCode = grpcCode;
    }

    boolean retryable() {
      return this == UNAVAILABLE;
    }
  }

  final Kind kind;

  /** Finer metric label, e.g. kafka_unavailable vs inflight_limit, within one kind. */
  final String reason;

  /**
   * @param reason the {@code reason} label of the rejected-requests counter: one of {@link
   *     RejectReasons#ALL}, so dashboards and alerts can rely on the list
   */
  EdgeError(Kind kind, String reason, String message) {
    super(message, null, false, false);
    if (!RejectReasons.ALL.contains(reason)) {
      throw new IllegalArgumentException(
          "reject reason '" + reason + "' is not in RejectReasons.ALL; add it there");
    }
    this.kind = kind;
    this.reason = reason;
  }
}
