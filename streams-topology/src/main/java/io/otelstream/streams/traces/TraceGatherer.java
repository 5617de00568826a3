package io.otelstream.streams.traces;

/**
 * Gathers the fragments of undecided traces into the task's local store; a trace's deadline is its
 * first record's timestamp plus decision_wait, so rebuilding from the input gives the same one.
 */
final class TraceGatherer {
  private final LocalTraceStore local;
  private final SamplingSettings settings;

  TraceGatherer(LocalTraceStore local, SamplingSettings settings) {
    this.local = local;
    this.settings = settings;
  }

  /** The trace's gathering state, or null when it is not being gathered. */
  GatherState state(byte[] traceId) {
    return local.state(traceId);
  }

  /**
   * Adds the record to its trace, starting the trace when {@code state} (from {@link #state}) is
   * null; returns the trace's new state.
   */
  GatherState gather(Arrival a, GatherState state) {
    if (state == null) {
      state =
          GatherState.first(
                  a.timestampMs(),
                  a.timestampMs() + settings.decisionWait().toMillis(),
                  a.offset(),
                  a.tenant())
              .plus(a.offset(), a.spans(), a.value().length);
      local.start(a.key(), state, a.value());
    } else {
      state = state.plus(a.offset(), a.spans(), a.value().length);
      local.add(a.key(), state, a.value());
    }
    return state;
  }

  /** The trace has reached a per-trace bound and must be decided now. */
  boolean overBounds(GatherState state) {
    return state.spanCount() >= settings.maxSpansPerTrace()
        || state.bytes() >= settings.maxBytesPerTrace();
  }
}
