package io.otelstream.streams.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stream threads that died and were replaced. One failure is retried by a new thread; a thread that
 * keeps dying (the same poisoned state, an output record no broker accepts) makes the instance not
 * live, so an orchestrator restarts it and an operator sees it, instead of a silent retry loop.
 */
final class ThreadFailures {
  static final int LIMIT = 3;
  static final Duration WINDOW = Duration.ofMinutes(5);

  private final Deque<Long> failures = new ArrayDeque<>();

  synchronized void failed(long nowMs) {
    failures.addLast(nowMs);
    prune(nowMs);
  }

  /** Whether fewer than LIMIT threads failed within WINDOW. */
  synchronized boolean healthy(long nowMs) {
    prune(nowMs);
    return failures.size() < LIMIT;
  }

  synchronized int recent(long nowMs) {
    prune(nowMs);
    return failures.size();
  }

  private void prune(long nowMs) {
    while (!failures.isEmpty() && failures.peekFirst() < nowMs - WINDOW.toMillis()) {
      failures.removeFirst();
    }
  }
}
