package io.otelstream.streams.traces;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.otelstream.schemas.metrics.MetricNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Self-metrics of tail sampling (prefix otelstream_streams_, bounded labels). */
public final class SamplingMetrics {
  private final MeterRegistry registry;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong decisionFilterBytes = new AtomicLong();
  private final java.util.Map<String, Counter> decidedCounters =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Counter keptSpans;
  private final Counter droppedSpans;
  private final Timer decisionLatency;
  private final Counter spilled;
  private final Counter rebuildUnread;

  /** Metrics without the heap budget's gauges (a replay's, or a test's). */
  public MeterRegistry registry() {
    return registry;
  }

  public SamplingMetrics(MeterRegistry registry) {
    this(registry, null);
  }

  public SamplingMetrics(MeterRegistry registry, InFlightHeap heap) {
    this.registry = registry;
    recordTimeCounter("ahead");
    recordTimeCounter("behind");
    if (heap != null) {
      Gauge.builder(MetricNames.STREAMS_IN_FLIGHT_HEAP_USED.name(), heap, InFlightHeap::usedBytes)
          .description("Heap held by in-flight traces in this instance")
          .baseUnit(MetricNames.STREAMS_IN_FLIGHT_HEAP_USED.unit())
          .register(registry);
      Gauge.builder(MetricNames.STREAMS_IN_FLIGHT_HEAP_LIMIT.name(), heap, InFlightHeap::limitBytes)
          .description("Heap in-flight traces may hold (in_flight_heap); the rest go to RocksDB")
          .baseUnit(MetricNames.STREAMS_IN_FLIGHT_HEAP_LIMIT.unit())
          .register(registry);
    }
    rebuildUnread =
        Counter.builder(MetricNames.STREAMS_REBUILD_UNREAD_OFFSETS.name())
            .description(
                "Input offsets a rebuild did not read again within max_rebuild (spans of traces in"
                    + " flight there are lost)")
            .register(registry);
    spilled =
        Counter.builder(MetricNames.STREAMS_TRACES_SPILLED.name())
            .description(
                "Traces gathered in the local RocksDB because the in-flight heap budget was spent")
            .register(registry);
    Gauge.builder(
            MetricNames.STREAMS_DECISION_FILTER_HEAP.name(), decisionFilterBytes, AtomicLong::get)
        .description(
            "Heap held by the filters that answer, without RocksDB, that a trace has no cached"
                + " decision")
        .baseUnit(MetricNames.STREAMS_DECISION_FILTER_HEAP.unit())
        .register(registry);
    Gauge.builder(MetricNames.STREAMS_TRACES_IN_FLIGHT.name(), inFlight, AtomicLong::get)
        .description("Traces waiting for their decision in this instance")
        .register(registry);
    keptSpans = spans("kept");
    droppedSpans = spans("dropped");
    decisionLatency =
        Timer.builder(MetricNames.STREAMS_DECISION_LATENCY.name())
            .description("Record time from a trace's first span to its decision")
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    // Present (at 0) from the start, so an alert or a dashboard panel on them needs no absent()
    // guard: the label values are a closed set.
    rebuilt(0, 0, 0, 0);
    for (String reason : new String[] {"trace_too_large", "too_many_traces"}) {
      earlyDecisions(reason);
    }
    for (String outcome : new String[] {"kept", "dropped", "new_trace"}) {
      lateSpans(outcome, 0);
    }
    spansDropped("span_too_large", 0);
    for (String kind : new String[] {"client", "server", "producer", "consumer", "late"}) {
      unpairedSpans(kind, 0);
    }
  }

  /** Spans the service graph could not pair with their peer, by kind (or late). */
  void unpairedSpans(String kind, int spans) {
    Counter.builder(MetricNames.STREAMS_SERVICE_GRAPH_UNPAIRED_SPANS.name())
        .description(
            "Client, server, producer or consumer spans in no service-graph edge: the peer is not"
                + " in the trace (uninstrumented, or a late span after its trace was decided)")
        .tags("kind", kind)
        .register(registry)
        .increment(spans);
  }

  void spilled() {
    spilled.increment();
  }

  /** Shared by every task of the instance: the in-flight bound is per instance. */
  /** The instance's decision filters' heap, which each task's cache adds its changes to. */
  AtomicLong decisionFilterBytes() {
    return decisionFilterBytes;
  }

  AtomicLong inFlight() {
    return inFlight;
  }

  void decided(String policy, boolean sampled, String rule, int spans, long waitedMs) {
    // Called for every trace: the meters are looked up once per label set, not built each time.
    decidedCounters
        .computeIfAbsent(
            (policy == null ? "none" : policy) + '\0' + sampled + '\0' + rule,
            k ->
                Counter.builder(MetricNames.STREAMS_TRACES_DECIDED.name())
                    .description("Traces decided, by deciding policy and decision")
                    .tags(
                        "policy",
                        policy == null ? "none" : policy,
                        "decision",
                        sampled ? "sampled" : "not_sampled",
                        "rule",
                        rule)
                    .register(registry))
        .increment();
    (sampled ? keptSpans : droppedSpans).increment(spans);
    decisionLatency.record(Math.max(0, waitedMs), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private Counter spans(String outcome) {
    return Counter.builder(MetricNames.STREAMS_SPANS.name())
        .description("Spans kept or dropped by tail sampling")
        .tags("outcome", outcome)
        .register(registry);
  }

  /**
   * Records whose time was moved into the clocks' bounds: {@code ahead} of this instance's clock by
   * more than max_clock_skew, or {@code behind} the partition's stream time by more.
   */
  void recordTimeAdjusted(String direction) {
    recordTimeCounter(direction).increment();
  }

  private Counter recordTimeCounter(String direction) {
    return Counter.builder(MetricNames.STREAMS_RECORD_TIME_ADJUSTED.name())
        .description(
            "Input records whose time was bounded by max_clock_skew, by direction (ahead, behind)")
        .tags("direction", direction)
        .register(registry);
  }

  void lateSpans(String outcome, int spans) {
    Counter.builder(MetricNames.STREAMS_LATE_SPANS.name())
        .description("Spans of already decided traces, by outcome")
        .tags("outcome", outcome)
        .register(registry)
        .increment(spans);
  }

  void earlyDecision(String reason) {
    earlyDecisions(reason).increment();
  }

  private Counter earlyDecisions(String reason) {
    return Counter.builder(MetricNames.STREAMS_EARLY_DECISIONS.name())
        .description("Traces decided before decision_wait, by reason")
        .tags("reason", reason)
        .register(registry);
  }

  void policyErrors(String policy) {
    Counter.builder(MetricNames.STREAMS_POLICY_ERRORS.name())
        .description("Policy evaluations that failed and cast no vote")
        .tags("policy", policy)
        .register(registry)
        .increment();
  }

  void spansDropped(String reason, int spans) {
    Counter.builder(MetricNames.STREAMS_SPANS_DROPPED.name())
        .description("Kept spans that could not be written, by reason")
        .tags("reason", reason)
        .register(registry)
        .increment(spans);
  }

  /** One task rebuilt its in-flight traces from its input partition. */
  /** Offsets a rebuild did not read again within max_rebuild. */
  void rebuildUnread(long offsets) {
    rebuildUnread.increment(offsets);
  }

  void rebuilt(long records, long traces, long lostOffsets, long millis) {
    Counter.builder(MetricNames.STREAMS_REBUILD_RECORDS.name())
        .description("Input records re-read to rebuild in-flight traces after a start or move")
        .register(registry)
        .increment(records);
    Counter.builder(MetricNames.STREAMS_REBUILD_TRACES.name())
        .description("In-flight traces rebuilt from the input topic")
        .register(registry)
        .increment(traces);
    Counter.builder(MetricNames.STREAMS_REBUILD_LOST_OFFSETS.name())
        .description(
            "Input offsets a rebuild needed but retention had already deleted (spans lost)")
        .register(registry)
        .increment(lostOffsets);
    Timer.builder(MetricNames.STREAMS_REBUILD_DURATION.name())
        .description("Time one task spent rebuilding its in-flight traces")
        .register(registry)
        .record(Duration.ofMillis(millis));
  }

  public void deadLettered(String topic, String reason) {
    deadLetters(topic, reason).increment();
  }

  /**
   * Registers a dead-letter reason at 0, so dashboards and alerts see the series before the first
   * dead letter.
   */
  public void deadLetterReason(String topic, String reason) {
    deadLetters(topic, reason);
  }

  private Counter deadLetters(String topic, String reason) {
    return Counter.builder(MetricNames.STREAMS_DEADLETTER_RECORDS.name())
        .description("Records sent to the dead-letter topic, by source topic and reason")
        .tags("topic", topic, "reason", reason)
        .register(registry);
  }
}
