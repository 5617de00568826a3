package io.otelstream.edge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One request's share of the in-flight budget, reserved before memory is taken: the body as it
 * arrives, the inflated body block by block, then the decoding. Released once, when the request is
 * answered.
 */
final class Reservation {
  private final EdgeState state;
  private final AtomicLong held = new AtomicLong();

  Reservation(EdgeState state) {
    this.state = state;
  }

  /**
   * Reserves {@code bytes} more.
   *
   * @throws EdgeError UNAVAILABLE (inflight_limit) when the budget cannot take them
   */
  void reserve(long bytes) {
    if (!state.tryAcquire(bytes)) {
      throw new EdgeError(
          EdgeError.Kind.UNAVAILABLE,
          "inflight_limit",
          "the edge holds its limit of "
              + state.maxInflightBytes()
              + " in-flight bytes; retry later");
    }
    held.addAndGet(bytes);
  }

  /** Gives back what is held beyond {@code bytes}. */
  void shrinkTo(long bytes) {
    long extra = held.get() - bytes;
    if (extra > 0) {
      held.addAndGet(-extra);
      state.release(extra);
    }
  }

  void release() {
    state.release(held.getAndSet(0));
  }

  long held() {
    return held.get();
  }
}
