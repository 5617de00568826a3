package io.otelstream.streams.traces;

import java.time.Duration;

/**
 * max_rebuild as a budget of the stream thread, not of one task: Kafka Streams initialises the
 * tasks whose state is restored back to back, with the thread's transaction open all along, so
 * their rebuilds add up. Rebuilds that follow each other without a gap of a commit interval share
 * one budget; after such a gap (the thread ran its loop, so it could commit) a new one starts.
 */
final class RebuildBudget {
  private static final ThreadLocal<long[]> BURST = ThreadLocal.withInitial(() -> new long[] {0, 0});

  private RebuildBudget() {}

  /** What the next rebuild on this thread may take of {@code max}. */
  static Duration remaining(Duration max, Duration commitInterval) {
    long[] burst = BURST.get(); // {end of the last rebuild (nanos), time spent in this burst}
    long now = System.nanoTime();
    if (burst[0] == 0 || now - burst[0] > commitInterval.toNanos()) {
      burst[1] = 0;
    }
    return Duration.ofNanos(Math.max(0, max.toNanos() - burst[1]));
  }

  /** A rebuild on this thread took {@code nanos}. */
  static void spent(long nanos) {
    long[] burst = BURST.get();
    burst[1] += nanos;
    burst[0] = System.nanoTime();
  }
}
