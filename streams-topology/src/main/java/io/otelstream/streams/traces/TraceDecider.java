package io.otelstream.streams.traces;

import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.sampling.TraceData;
import java.util.List;

/**
 * Decides one gathered trace: parses its fragments (the only full parse a span gets), runs the
 * policies, writes the kept spans, caches the decision and forgets the gathered state.
 */
final class TraceDecider {
  private final LocalTraceStore local;
  private final DecisionCache decisions;
  private final SampledEmitter emitter;
  private final SamplingEngine engine;
  private final SamplingSettings settings;
  private final SamplingMetrics metrics;
  private final SamplingRun run;
  private final int partition;
  private final io.otelstream.streams.spanmetrics.TraceMetricsRecorder traceMetrics;

  TraceDecider(
      LocalTraceStore local,
      DecisionCache decisions,
      SampledEmitter emitter,
      SamplingEngine engine,
      SamplingSettings settings,
      SamplingMetrics metrics,
      SamplingRun run,
      int partition,
      io.otelstream.streams.spanmetrics.TraceMetricsRecorder traceMetrics) {
    this.traceMetrics = traceMetrics;
    this.run = run;
    this.partition = partition;
    this.local = local;
    this.decisions = decisions;
    this.emitter = emitter;
    this.engine = engine;
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Decides the traces whose deadline is at or before {@code timeMs}, oldest first, for at most
   * {@code budget}: one punctuation must not hold the transaction open near its timeout; what is
   * left is decided at the next one. Returns whether every due trace was decided.
   */
  boolean decideDue(long timeMs, java.time.Duration budget) {
    return local.forEachDue(
        timeMs,
        (traceId, state) -> decide(traceId, state, timeMs, true),
        System.nanoTime() + budget.toNanos());
  }

  /** Decides the oldest gathered trace early; false when none is gathered. */
  boolean decideOldest(long nowMs) {
    byte[] oldest = local.oldest();
    if (oldest == null) {
      return false;
    }
    decide(oldest, local.state(oldest), nowMs, false);
    return true;
  }

  /** Decides a trace before its deadline (a bound was reached). */
  void decideEarly(byte[] traceId, GatherState state, long nowMs) {
    decide(traceId, state, nowMs, false);
  }

  /** Decides the trace gathered under {@code key} (its trace ID, or its tenant's key). */
  private void decide(byte[] key, GatherState state, long nowMs, boolean dueByDeadline) {
    if (!run.decides(partition, state.firstOffset())) {
      // Outside a replay's window: forgotten undecided; a not-sampled entry makes its later spans
      // late spans that are dropped, not a new trace.
      local.remove(key, state, dueByDeadline);
      remember(key, state, false, null, nowMs);
      return;
    }
    List<byte[]> values = local.fragments(key, state);
    // A tenant's trace is gathered under its tenant key; its spans name the trace.
    byte[] traceId = key;
    if (state.tenant() != null) {
      byte[] named = TraceWire.firstTraceId(values);
      traceId = named != null ? named : key;
    }
    TraceData trace = TraceData.of(traceId, values, state.spanCount());
    SamplingEngine.Outcome outcome = engine.decide(trace, nowMs);
    outcome.erroredPolicies().forEach(metrics::policyErrors);
    if (traceMetrics != null) {
      // Every span of the trace, kept or not, in the same transaction as the decision.
      traceMetrics.record(trace, state.tenant(), outcome.sampled());
    }
    if (outcome.sampled()) {
      emitter.kept(traceId, values, outcome.policy(), state.firstSeenMs(), state.tenant());
    }
    local.remove(key, state, dueByDeadline);
    remember(key, state, outcome.sampled(), outcome.policy(), nowMs);
    metrics.decided(
        outcome.policy(),
        outcome.sampled(),
        outcome.rule(),
        trace.spanCount(),
        nowMs - state.firstSeenMs());
    run.decided(trace, outcome);
  }

  private void remember(
      byte[] traceId, GatherState state, boolean sampled, String policy, long nowMs) {
    decisions.remember(
        traceId,
        new DecisionCache.Decision(
            sampled,
            policy,
            nowMs,
            nowMs + settings.decisionCacheTtl().toMillis(),
            state.tenant(),
            state.lastOffset()));
  }
}
