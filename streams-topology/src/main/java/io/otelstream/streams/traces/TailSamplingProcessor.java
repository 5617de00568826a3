package io.otelstream.streams.traces;

import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.spanmetrics.MetricDeltas;
import io.otelstream.streams.spanmetrics.TraceMetricsConfig;
import io.otelstream.streams.spanmetrics.TraceMetricsRecorder;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tail sampling for one partition of otlp-traces. It only wires the parts: each record is read
 * ({@link Arrival}), follows its cached decision ({@link DecisionCache}) or is gathered ({@link
 * TraceGatherer}) into the task's local store; due traces are decided ({@link TraceDecider}) and
 * kept spans written ({@link SampledEmitter}). On start the local store is rebuilt from the input
 * partition ({@link InputRebuilder}) between the committed {@link PartitionWatermark} and the
 * resume offset.
 */
public final class TailSamplingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String SINK = "sampled-sink";
  private static final Logger LOG = LoggerFactory.getLogger(TailSamplingProcessor.class);
  private static final Duration TICK = Duration.ofSeconds(1);
  // Work one punctuation may do; the rest of the due traces waits for the next one (1 s later).
  private static final Duration DECIDE_BUDGET = Duration.ofMillis(200);
  // Inline releases follow record time a second at a time; a larger budget keeps them whole (and
  // so deterministic) unless record time jumps far ahead at once.
  private static final Duration INLINE_BUDGET = Duration.ofSeconds(5);

  private final String inputTopic;
  private final SamplingSettings settings;
  private final SamplingEngine engine;
  private final SamplingMetrics metrics;
  private final InputEnd inputEnd;
  private final SamplingRun run;
  private boolean finished;

  private ProcessorContext<byte[], byte[]> context;
  private LocalTraceStore local;
  private DecisionCache decisions;
  private PartitionWatermark watermark;
  private TraceGatherer gatherer;
  private TraceDecider decider;
  private SampledEmitter emitter;
  private final TraceMetricsConfig traceMetricsConfig;
  private TraceMetricsRecorder traceMetrics; // null when off, and in replays (which write none)
  private long lastRecordWallMs;
  private long streamTimeAtLastRecord;
  private TopicPartition partition;
  private long behindAtMs = -1; // due traces left over from a punctuation that ran out of budget
  private long rebuildTime = -1; // the latest record time the rebuild read so far
  private final SpanProcessing spanProcessing;

  public TailSamplingProcessor(
      String inputTopic,
      SamplingSettings settings,
      SamplingEngine engine,
      SamplingMetrics metrics,
      InputEnd inputEnd) {
    this(inputTopic, settings, engine, metrics, inputEnd, SamplingRun.LIVE);
  }

  /** A processor for a run other than live processing (a replay). */
  public TailSamplingProcessor(
      String inputTopic,
      SamplingSettings settings,
      SamplingEngine engine,
      SamplingMetrics metrics,
      InputEnd inputEnd,
      SamplingRun run) {
    this(inputTopic, settings, engine, metrics, inputEnd, run, TraceMetricsConfig.disabled());
  }

  /** A processor that also counts span metrics from every span (live runs only). */
  public TailSamplingProcessor(
      String inputTopic,
      SamplingSettings settings,
      SamplingEngine engine,
      SamplingMetrics metrics,
      InputEnd inputEnd,
      SamplingRun run,
      TraceMetricsConfig traceMetrics) {
    this(
        inputTopic,
        settings,
        engine,
        metrics,
        inputEnd,
        run,
        traceMetrics,
        io.otelstream.streams.processing.Pipelines.NONE);
  }

  /**
   * A processor that runs the traces pipeline's Collector processors on every record before it is
   * gathered, in live processing and in the rebuild alike (so a restart never brings back what a
   * processor removed).
   */
  public TailSamplingProcessor(
      String inputTopic,
      SamplingSettings settings,
      SamplingEngine engine,
      SamplingMetrics metrics,
      InputEnd inputEnd,
      SamplingRun run,
      TraceMetricsConfig traceMetrics,
      io.otelstream.streams.processing.Pipelines processing) {
    this.spanProcessing = new SpanProcessing(processing, metrics.registry());
    this.traceMetricsConfig = traceMetrics;
    this.run = run;
    this.inputTopic = inputTopic;
    this.inputEnd = inputEnd;
    this.settings = settings;
    this.engine = engine;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    behindAtMs = -1; // a revived task is initialised again on the same processor
    int partition = context.taskId().partition();
    local =
        LocalTraceStore.openEmpty(
            context.stateDir().toPath().resolve("ts-local" + run.storeSuffix()),
            RocksDbMemory.shared(context.appConfigs()),
            settings.inFlightHeap(),
            metrics::spilled,
            metrics.inFlight());
    KeyValueStore<Bytes, byte[]> decisionStore =
        context.getStateStore(TraceStores.DECISIONS + run.storeSuffix());
    decisions =
        new DecisionCache(
            decisionStore,
            local.decisionIndex(),
            settings.decisionCacheTtl().toMillis(),
            metrics.decisionFilterBytes()::addAndGet);
    watermark =
        new PartitionWatermark(
            context.getStateStore(TraceStores.WATERMARKS + run.storeSuffix()), partition);
    gatherer = new TraceGatherer(local, settings);
    emitter = new SampledEmitter(context, settings, metrics, run.sampledSink());
    if (traceMetricsConfig.enabled() && run.sampledSink() != null) {
      traceMetrics =
          new TraceMetricsRecorder(
              traceMetricsConfig,
              context.getStateStore(MetricDeltas.STORE),
              context,
              metrics::unpairedSpans);
      context.schedule(
          traceMetricsConfig.flushInterval(), PunctuationType.WALL_CLOCK_TIME, traceMetrics::flush);
    }
    decider =
        new TraceDecider(
            local, decisions, emitter, engine, settings, metrics, run, partition, traceMetrics);
    this.partition = new TopicPartition(inputTopic, partition);
    long rebuiltTime = rebuild(this.partition);
    lastRecordWallMs = context.currentSystemTimeMs();
    // -1: not known yet. A partition with no input after a restart never processes a record, so
    // the rebuilt records' time is its stream time; without it the wall-clock release would start
    // from nothing and the rebuilt traces would never be due.
    streamTimeAtLastRecord = Math.max(rebuiltTime, Math.max(-1, context.currentStreamTimeMs()));
    // Record time releases traces inline, in process(), so the same input decides the same way
    // whatever batches Streams processes it in; wall-clock time releases idle partitions.
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
  }

  /**
   * Re-gathers the traces that were in flight when this partition's last commit happened; returns
   * the largest record timestamp read, or -1.
   */
  private long rebuild(TopicPartition partition) {
    if (!watermark.known()) {
      return -1; // this partition was never processed: nothing can be in flight
    }
    InputRebuilder input =
        new InputRebuilder(
            context.appConfigs(), context.applicationId() + "-rebuild-" + context.taskId());
    long resume = input.committed(partition, context.applicationId());
    if (resume < 0) {
      LOG.warn(
          "{}: no committed offset for group {}; nothing to rebuild from watermark {}",
          partition,
          context.applicationId(),
          watermark.low());
      return -1;
    }
    rebuildTime = -1;
    java.time.Duration limit =
        RebuildBudget.remaining(
            InputRebuilder.maxRebuild(context.appConfigs()), commitInterval(context.appConfigs()));
    long rebuildStarted = System.nanoTime();
    InputRebuilder.Result r = input.read(partition, watermark.low(), resume, this::regather, limit);
    RebuildBudget.spent(System.nanoTime() - rebuildStarted);
    watermark.resumeAt(resume);
    long traces = local.size();
    metrics.rebuilt(r.records(), traces, r.lostOffsets(), r.millis());
    if (r.unreadOffsets() > 0) {
      metrics.rebuildUnread(r.unreadOffsets());
      LOG.error(
          "{}: the rebuild stopped when this thread's max_rebuild was spent ({} left for it) with {}"
              + " offsets before {} not read again;"
              + " the spans of traces in flight there are lost. A longer rebuild would outlive the"
              + " transaction timeout and fence the app into rebuilding again: raise max_rebuild"
              + " (the timeouts follow it) if rebuilds of this size are expected",
          partition,
          limit,
          r.unreadOffsets(),
          resume);
    }
    if (r.lostOffsets() > 0) {
      LOG.error(
          "{}: {} offsets from {} were already deleted by retention; the spans of traces in flight"
              + " there are lost. Retention of {} must exceed the time the app may be down plus"
              + " decision_wait",
          partition,
          r.lostOffsets(),
          watermark.low(),
          partition.topic());
    }
    LOG.info(
        "{}: rebuilt {} in-flight traces from offsets {}..{} ({} records) in {} ms",
        partition,
        traces,
        watermark.low(),
        resume,
        r.records(),
        r.millis());
    // With bounded record times the rebuilt stream time is the latest bounded one.
    return settings.maxClockSkew().toMillis() > 0 && rebuildTime >= 0
        ? rebuildTime
        : r.maxTimestampMs();
  }

  private static java.time.Duration commitInterval(java.util.Map<String, ?> appConfigs) {
    Object v = appConfigs.get("commit.interval.ms");
    return java.time.Duration.ofMillis(v == null ? 100 : Long.parseLong(v.toString()));
  }

  private void regather(ConsumerRecord<byte[], byte[]> r) {
    byte[] value = spanProcessing.apply(r.value(), false);
    if (value == null) {
      return; // a tombstone (dead-lettered) or every span removed (counted) when first processed
    }
    // The same bounds as when the record was first processed (the stream time then is the
    // rebuild's latest time so far; the wall clock is now, which only loosens the upper bound).
    long time = recordTime(r.timestamp(), System.currentTimeMillis(), rebuildTime, false);
    rebuildTime = Math.max(rebuildTime, time);
    Arrival a = Arrival.of(r.key(), value, r.offset(), time, r.headers());
    if (!a.valid()) {
      return; // dead-lettered when it was first processed
    }
    GatherState state = gatherer.state(a.key());
    if (state == null) {
      DecisionCache.Decision d = decisions.lookup(a.key());
      if (d != null && d.covers(a.timestampMs())) {
        return; // decided before the crash; its output is committed
      }
    }
    gatherer.gather(a, state);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      processRecord(record);
    } finally {
      decisions.flush(); // in the transaction of the output they decided
    }
  }

  private void processRecord(Record<byte[], byte[]> record) {
    long offset = context.recordMetadata().map(m -> m.offset()).orElse(-1L);
    if (offset >= run.stopOffset(partition.partition())) {
      finish();
      return; // past a replay's end
    }
    lastRecordWallMs = context.currentSystemTimeMs();
    long recordTime =
        recordTime(record.timestamp(), lastRecordWallMs, streamTimeAtLastRecord, true);
    long streamTime = Math.max(streamTimeAtLastRecord, recordTime);
    long tick = floorTick(streamTime);
    boolean crossed = tick > floorTick(streamTimeAtLastRecord) || behindAtMs >= 0;
    if (crossed) {
      // Record time crossed a whole second: every trace due by then is decided before this record
      // is looked at, so a span after its trace's deadline is always a late span.
      decideDue(tick, INLINE_BUDGET);
    }
    streamTimeAtLastRecord = streamTime;
    watermark.processed(offset);
    handle(record, offset, recordTime);
    if (crossed) {
      // After the record: a span that meets an expired decision is counted as a new trace.
      expireDecisions(tick);
    }
    run.processed(partition.partition(), offset);
    if (offset + 1 >= run.stopOffset(partition.partition())) {
      finish();
    }
    commitTraceMetrics();
  }

  private void commitTraceMetrics() {
    if (traceMetrics != null) {
      traceMetrics.commit();
    }
  }

  /**
   * A replay's partition reached its end: every trace gathered is decided now, by record time (each
   * is due by the last record's time plus decision_wait), as a live app would have by wall-clock
   * time.
   */
  private void finish() {
    if (finished) {
      return;
    }
    long end = streamTimeAtLastRecord + settings.decisionWait().toMillis() + TICK.toMillis();
    while (!decider.decideDue(end, INLINE_BUDGET)) {
      // a large backlog takes several budgets; a replay has no transaction to keep short
    }
    finished = true;
    run.finished(partition.partition());
  }

  /**
   * A record's time bounded by the clocks when max_clock_skew is set: never more than the skew
   * ahead of this instance's wall clock (one edge host with a fast clock would otherwise push the
   * partition's stream time ahead, deciding every other host's traces at once and expiring
   * decisions early), and never more than the skew behind the partition's stream time (a slow clock
   * would otherwise make a trace due on its first span). Within the bounds, record time is used as
   * it is, so replays and catch-up decide as live processing did.
   */
  private long recordTime(long recordMs, long wallMs, long streamMs, boolean count) {
    long skew = settings.maxClockSkew().toMillis();
    if (skew <= 0) {
      return recordMs;
    }
    if (recordMs > wallMs + skew) {
      if (count) {
        metrics.recordTimeAdjusted("ahead");
      }
      return wallMs + skew;
    }
    if (streamMs >= 0 && recordMs < streamMs - skew) {
      if (count) {
        metrics.recordTimeAdjusted("behind");
      }
      return streamMs - skew;
    }
    return recordMs;
  }

  private void handle(Record<byte[], byte[]> record, long offset, long recordTime) {
    if (record.value() == null) {
      // A tombstone is no export: dead-lettered, not mistaken for a trace a processor emptied.
      metrics.deadLettered(inputTopic, "undecodable");
      DeadLetters.send(context, record, "undecodable", run.deadLetterSink());
      return;
    }
    byte[] value = spanProcessing.apply(record.value(), true);
    if (value == null) {
      return; // every span removed by a processor, counted there
    }
    Arrival a = Arrival.of(record.key(), value, offset, recordTime, record.headers());
    if (!a.valid()) {
      metrics.deadLettered(inputTopic, a.invalidReason());
      DeadLetters.send(context, record, a.invalidReason(), run.deadLetterSink());
      return;
    }
    // A trace being gathered has no decision that covers it: only a trace's first record (as far
    // as this task knows) needs the decision cache.
    GatherState gathered = gatherer.state(a.key());
    DecisionCache.Decision d = gathered == null ? decisions.lookup(a.key()) : null;
    if (d != null && d.covers(a.timestampMs())) {
      if (traceMetrics != null) {
        traceMetrics.recordLate(a.value(), a.tenant(), d.sampled()); // every span counts
      }
      if (d.sampled()) {
        emitter.late(a.traceId(), a.value(), d.policy(), a.timestampMs(), a.tenant());
        run.lateKept(a.spans(), a.value().length, d.policy());
      }
      decisions.covered(a.key(), d, offset);
      metrics.lateSpans(d.sampled() ? "kept" : "dropped", a.spans());
      return;
    }
    if (d != null) {
      metrics.lateSpans("new_trace", a.spans()); // past the TTL: the trace starts again
    }
    GatherState state = gatherer.gather(a, gathered);
    if (gatherer.overBounds(state)) {
      metrics.earlyDecision("trace_too_large");
      decider.decideEarly(a.key(), state, recordTime);
    }
    while (metrics.inFlight().get() > settings.numTraces() && local.size() > 0) {
      metrics.earlyDecision("too_many_traces");
      decider.decideOldest(recordTime);
    }
  }

  /** Decides every trace due by {@code timeMs}, then moves the watermark and expires decisions. */
  void releaseUpTo(long timeMs, Duration budget) {
    decideDue(timeMs, budget);
    expireDecisions(timeMs);
  }

  private void decideDue(long timeMs, Duration budget) {
    if (behindAtMs >= 0 && behindAtMs > timeMs) {
      timeMs = behindAtMs;
    }
    behindAtMs = decider.decideDue(timeMs, budget) ? -1 : timeMs;
  }

  private void expireDecisions(long timeMs) {
    if (watermark.known()) {
      watermark.lowWatermark(local.lowWatermark(watermark.next()));
      decisions.expire(timeMs, watermark.low());
    }
  }

  /**
   * An idle partition's stream time does not move; advance it by wall-clock time so traces still
   * leave. Only a partition processed to its end is idle: one with a backlog, fetched or not (after
   * a restart, a rebalance, a stall, in a replay), is not, or its traces would be decided before
   * their spans are read.
   */
  private void onWallClock(long wallMs) {
    releaseIdle(wallMs);
    decisions.flush();
    commitTraceMetrics();
  }

  private void releaseIdle(long wallMs) {
    if (behindAtMs >= 0) {
      releaseUpTo(behindAtMs, DECIDE_BUDGET); // finish what was left, without moving time
      return;
    }
    long idleMs = wallMs - lastRecordWallMs;
    // Asked of the broker, not of the consumer's last fetch: a consumer that has not fetched for a
    // while (a rebalance, a slow commit, a stall) has processed all it fetched while a backlog
    // waits, and releasing by wall-clock time then would decide traces before their spans are read.
    if (idleMs >= TICK.toMillis()
        && inputEnd.caughtUp(partition, watermark.next(), lastRecordWallMs)) {
      releaseUpTo(
          Math.max(context.currentStreamTimeMs(), streamTimeAtLastRecord) + idleMs, DECIDE_BUDGET);
    }
  }

  private static long floorTick(long timeMs) {
    return timeMs - Math.floorMod(timeMs, TICK.toMillis());
  }

  @Override
  public void close() {
    // The task moves or stops: its in-flight traces are rebuilt from the input where it resumes.
    decisions.close();
    local.close();
  }
}
