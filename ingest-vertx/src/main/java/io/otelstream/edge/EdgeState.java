package io.otelstream.edge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What all event loops share: the drain flag, in-flight accounting and readiness. */
final class EdgeState {
  private final long maxInflightBytes;
  private final AtomicLong inflightBytes = new AtomicLong();
  private final AtomicInteger inflightRequests = new AtomicInteger();
  private volatile boolean draining;
  private volatile boolean kafkaReady;

  EdgeState(long maxInflightBytes) {
    this.maxInflightBytes = maxInflightBytes;
  }

  /**
   * Reserves bytes for a request; false when the in-flight limit would be passed. The limits are
   * validated so that the largest request fits the budget on its own.
   */
  boolean tryAcquire(long bytes) {
    long now = inflightBytes.addAndGet(bytes);
    if (now > maxInflightBytes) {
      inflightBytes.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  void release(long bytes) {
    inflightBytes.addAndGet(-bytes);
  }

  void requestStarted() {
    inflightRequests.incrementAndGet();
  }

  void requestFinished() {
    inflightRequests.decrementAndGet();
  }

  long maxInflightBytes() {
    return maxInflightBytes;
  }

  long inflightBytes() {
    return inflightBytes.get();
  }

  int inflightRequests() {
    return inflightRequests.get();
  }

  void startDraining() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  void kafkaReady(boolean ready) {
    kafkaReady = ready;
  }

  boolean ready() {
    return kafkaReady && !draining;
  }

  /** /health/ready: Kafka reachable, topics present, not draining. */
  io.otelstream.admin.Health health() {
    if (draining) {
      return io.otelstream.admin.Health.of(false, "not ready").with("reason", "shutting down");
    }
    return kafkaReady
        ? io.otelstream.admin.Health.of(true, "ready")
        : io.otelstream.admin.Health.of(false, "not ready")
            .with("reason", "Kafka is unreachable or the raw topics do not exist");
  }
}
