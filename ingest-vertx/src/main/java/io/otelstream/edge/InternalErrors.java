package io.otelstream.edge;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unexpected errors inside the edge (bugs, never the client's fault): answered as retryable
 * (DESIGN.md: 503 + Retry-After / UNAVAILABLE + RetryInfo, reason {@code internal}) so the client
 * keeps its data, and logged with their cause at most once per interval, with how many were not
 * logged since, so a hot bug cannot flood the log.
 */
final class InternalErrors {
  private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);
  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final AtomicLong lastLoggedNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();

  /** Logs (rate-limited) and returns the retryable error the client is answered with. */
  EdgeError report(String what, Throwable cause) {
    long now = System.nanoTime();
    long last = lastLoggedNanos.get();
    if (now - last >= INTERVAL_NANOS && lastLoggedNanos.compareAndSet(last, now)) {
      LOG.error(
          "internal error while {} ({} more not logged in the last 10 s); the client was asked to"
              + " retry",
          what,
          suppressed.getAndSet(0),
          cause);
    } else {
      suppressed.incrementAndGet();
    }
    return new EdgeError(
        EdgeError.Kind.UNAVAILABLE,
        "internal",
        "internal error in the edge while "
            + what
            + " (not a fault of the request): "
            + cause.getClass().getSimpleName()
            + "; retry later");
  }
}
