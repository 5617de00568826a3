package io.otelstream.streams.traces;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers the fragments of undecided traces into the task's local store; a trace's deadline is its
 * first record's timestamp plus decision_wait, so rebuilding from the input gives the same one.
 */
final class TraceGatherer {
  private final LocalTraceStore local;
  private final SamplingSettings settings;
  private final AtomicLong instanceInFlight;

  TraceGatherer(LocalTraceStore local, SamplingSettings settings, AtomicLong instanceInFlight) {
    this.local = local;
    this.settings = settings;
    this.instanceInFlight = instanceInFlight;
  }

  /** Adds the record to its trace, starting the trace if needed; returns the trace's state. */
  GatherState gather(Arrival a) {
    GatherState state = local.state(a.traceId());
    if (state == null) {
      state =
          GatherState.first(
                  a.timestampMs(),
                  a.timestampMs() + settings.decisionWait().toMillis(),
                  a.offset(),
                  a.tenant())
              .plus(a.offset(), a.spans(), a.value().length);
      local.start(a.traceId(), state, a.offset(), a.value());
      instanceInFlight.incrementAndGet();
    } else {
      state = state.plus(a.offset(), a.spans(), a.value().length);
      local.add(a.traceId(), state, a.offset(), a.value());
    }
    return state;
  }

  /** The trace has reached a per-trace bound and must be decided now. */
  boolean overBounds(GatherState state) {
    return state.spanCount() >= settings.maxSpansPerTrace()
        || state.bytes() >= settings.maxBytesPerTrace();
  }
}
