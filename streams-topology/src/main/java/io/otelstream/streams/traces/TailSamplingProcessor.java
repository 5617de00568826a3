package io.otelstream.streams.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.AvroState;
import io.otelstream.schemas.Headers;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.schemas.wire.InvalidWireException;
import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.sampling.TraceData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Tail sampling for one partition of otlp-traces. Spans are appended to a persistent store as they
 * arrive; a trace is decided once decision_wait of record time has passed since its first span (or
 * earlier when a bound is reached), its kept spans are forwarded as one record (or a few, to
 * respect the record limit), its state is deleted and the decision is cached for late spans.
 */
public final class TailSamplingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String SINK = "sampled-sink";
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final int RELEASE_BATCH = 10_000;

  private final SamplingSettings settings;
  private final SamplingEngine engine;
  private final SamplingMetrics metrics;

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> fragments;
  private KeyValueStore<Bytes, byte[]> traces;
  private TimeIndex deadlines;
  private TimeIndex decisionExpiry;
  private long taskInFlight;
  private long lastRecordWallMs;
  private long streamTimeAtLastRecord;

  public TailSamplingProcessor(
      SamplingSettings settings, SamplingEngine engine, SamplingMetrics metrics) {
    this.settings = settings;
    this.engine = engine;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    fragments = context.getStateStore(TraceStores.FRAGMENTS);
    traces = context.getStateStore(TraceStores.TRACES);
    KeyValueStore<Bytes, byte[]> timers = context.getStateStore(TraceStores.TIMERS);
    deadlines = new TimeIndex(timers, TimeIndex.DEADLINES);
    decisionExpiry = new TimeIndex(timers, TimeIndex.DECISION_EXPIRY);
    // This task's share of the instance-wide in-flight count, recounted from the restored store; a
    // revived task replaces its earlier share rather than adding to it.
    long count = 0;
    try (KeyValueIterator<Bytes, byte[]> all = traces.all()) {
      while (all.hasNext()) {
        if (TraceEntry.isState(all.next().value)) {
          count++;
        }
      }
    }
    metrics.inFlight().addAndGet(count - taskInFlight);
    taskInFlight = count;
    lastRecordWallMs = context.currentSystemTimeMs();
    streamTimeAtLastRecord = context.currentStreamTimeMs();
    context.schedule(TICK, PunctuationType.STREAM_TIME, this::releaseUpTo);
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    lastRecordWallMs = context.currentSystemTimeMs();
    streamTimeAtLastRecord = Math.max(streamTimeAtLastRecord, record.timestamp());
    byte[] traceId = RecordKeys.traceIdOf(record.key());
    if (traceId == null) {
      deadLetter(record, "invalid_key");
      return;
    }
    int spans;
    try {
      spans = TraceWire.validSpanCount(record.value());
    } catch (InvalidWireException e) {
      deadLetter(record, "undecodable");
      return;
    }
    Bytes traceKey = TraceKeys.trace(traceId);
    byte[] entry = traces.get(traceKey);
    if (TraceEntry.isDecision(entry)) {
      GenericRecord decision = TraceEntry.decodeDecision(entry);
      if ((long) decision.get("expiresAtMs") > record.timestamp()) {
        late(record, (boolean) decision.get("sampled"), spans);
        return;
      }
      // Past its TTL: the trace starts again; the new state below replaces the decision.
      decisionExpiry.delete((long) decision.get("expiresAtMs"), traceId);
      metrics.lateSpans("new_trace", spans);
      entry = null;
    }
    GenericRecord state;
    if (entry == null) {
      state = AvroState.TRACE_STATE.newRecord();
      long deadline = record.timestamp() + settings.decisionWait().toMillis();
      state.put("firstSeenMs", record.timestamp());
      state.put("deadlineMs", deadline);
      state.put("spanCount", 0);
      state.put("bytes", 0L);
      state.put("nextSeq", 0);
      state.put("tenant", tenant(record));
      deadlines.put(deadline, traceId);
      taskInFlight++;
      metrics.inFlight().incrementAndGet();
    } else {
      state = TraceEntry.decodeState(entry);
    }
    int seq = (int) state.get("nextSeq");
    fragments.put(TraceKeys.fragment(traceId, seq), record.value());
    state.put("nextSeq", seq + 1);
    state.put("spanCount", (int) state.get("spanCount") + spans);
    state.put("bytes", (long) state.get("bytes") + record.value().length);
    traces.put(traceKey, TraceEntry.state(state));

    if ((int) state.get("spanCount") >= settings.maxSpansPerTrace()
        || (long) state.get("bytes") >= settings.maxBytesPerTrace()) {
      metrics.earlyDecision("trace_too_large");
      decide(traceId, state, record.timestamp());
    }
    while (metrics.inFlight().get() > settings.numTraces() && taskInFlight > 0) {
      metrics.earlyDecision("too_many_traces");
      decideOldest(record.timestamp());
    }
  }

  private void late(Record<byte[], byte[]> record, boolean sampled, int spans) {
    if (sampled) {
      context.forward(
          new Record<>(
              record.key(), record.value(), record.timestamp(), tenantHeaders(tenant(record))),
          SINK);
    }
    metrics.lateSpans(sampled ? "kept" : "dropped", spans);
  }

  @Override
  public void close() {
    // The task moves or stops: its traces stay in its stores and are counted where it resumes.
    metrics.inFlight().addAndGet(-taskInFlight);
    taskInFlight = 0;
  }

  /** Decides every trace whose deadline is at or before {@code timeMs}, oldest first. */
  void releaseUpTo(long timeMs) {
    expireDecisions(timeMs);
    while (true) {
      List<byte[]> due = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = deadlines.upTo(timeMs)) {
        while (it.hasNext() && due.size() < RELEASE_BATCH) {
          due.add(TimeIndex.traceIdOf(it.next().key));
        }
      }
      for (byte[] traceId : due) {
        byte[] s = traces.get(TraceKeys.trace(traceId));
        if (TraceEntry.isState(s)) {
          decide(traceId, TraceEntry.decodeState(s), timeMs);
        }
      }
      if (due.size() < RELEASE_BATCH) {
        return;
      }
    }
  }

  /**
   * An idle partition's stream time does not move; advance it by wall-clock time so traces still
   * leave.
   */
  private void onWallClock(long wallMs) {
    long idleMs = wallMs - lastRecordWallMs;
    if (idleMs >= TICK.toMillis()) {
      releaseUpTo(Math.max(context.currentStreamTimeMs(), streamTimeAtLastRecord) + idleMs);
    }
  }

  private void decideOldest(long nowMs) {
    byte[] oldest = null;
    try (KeyValueIterator<Bytes, byte[]> it = deadlines.all()) {
      if (it.hasNext()) {
        oldest = TimeIndex.traceIdOf(it.next().key);
      }
    }
    if (oldest == null) {
      taskInFlight = 0;
      return;
    }
    byte[] s = traces.get(TraceKeys.trace(oldest));
    if (!TraceEntry.isState(s)) {
      deadlines.delete(deadlineKeyScan(oldest));
      return;
    }
    decide(oldest, TraceEntry.decodeState(s), nowMs);
  }

  private Bytes deadlineKeyScan(byte[] traceId) {
    try (KeyValueIterator<Bytes, byte[]> it = deadlines.all()) {
      while (it.hasNext()) {
        Bytes k = it.next().key;
        if (java.util.Arrays.equals(TimeIndex.traceIdOf(k), traceId)) {
          return k;
        }
      }
    }
    return null;
  }

  private void decide(byte[] traceId, GenericRecord state, long nowMs) {
    List<byte[]> stored = new ArrayList<>();
    List<Bytes> keys = new ArrayList<>();
    int count = (int) state.get("nextSeq");
    for (int seq = 0; seq < count; seq++) {
      Bytes k = TraceKeys.fragment(traceId, seq);
      byte[] v = fragments.get(k);
      if (v != null) {
        stored.add(v);
        keys.add(k);
      }
    }
    TraceData trace = traceData(traceId, stored);
    SamplingEngine.Outcome outcome = engine.decide(trace, nowMs);
    outcome.erroredPolicies().forEach(metrics::policyErrors);
    String tenant = state.get("tenant") == null ? null : state.get("tenant").toString();
    long firstSeen = (long) state.get("firstSeenMs");
    if (outcome.sampled()) {
      byte[] key = RecordKeys.traceKey(traceId);
      String attribute = settings.policyAttribute() ? outcome.policy() : null;
      for (byte[] value : SampledOutput.records(stored, settings.maxRecordBytes(), attribute)) {
        context.forward(new Record<>(key, value, firstSeen, tenantHeaders(tenant)), SINK);
      }
    }
    keys.forEach(fragments::delete);
    Bytes traceKey = TraceKeys.trace(traceId);
    deadlines.delete((long) state.get("deadlineMs"), traceId);
    GenericRecord decision = AvroState.TRACE_DECISION.newRecord();
    long expires = nowMs + settings.decisionCacheTtl().toMillis();
    decision.put("sampled", outcome.sampled());
    decision.put("policy", outcome.policy());
    decision.put("decidedAtMs", nowMs);
    decision.put("expiresAtMs", expires);
    decision.put("tenant", tenant);
    traces.put(traceKey, TraceEntry.decision(decision)); // replaces the state in one write
    decisionExpiry.put(expires, traceId);
    taskInFlight--;
    metrics.inFlight().decrementAndGet();
    metrics.decided(
        outcome.policy(), outcome.sampled(), outcome.rule(), trace.spanCount(), nowMs - firstSeen);
  }

  private void expireDecisions(long timeMs) {
    List<KeyValue<Bytes, byte[]>> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = decisionExpiry.upTo(timeMs)) {
      while (it.hasNext() && expired.size() < RELEASE_BATCH) {
        expired.add(it.next());
      }
    }
    for (KeyValue<Bytes, byte[]> e : expired) {
      Bytes traceKey = TraceKeys.trace(TimeIndex.traceIdOf(e.key));
      byte[] d = traces.get(traceKey);
      // A trace decided again later has a newer expiry, and a restarted one has state: only remove
      // the decision this entry is for.
      if (TraceEntry.isDecision(d)
          && (long) TraceEntry.decodeDecision(d).get("expiresAtMs") == TimeIndex.timeOf(e.key)) {
        traces.delete(traceKey);
      }
      decisionExpiry.delete(e.key);
    }
  }

  private static TraceData traceData(byte[] traceId, List<byte[]> stored) {
    List<TraceData.SpanWithResource> spans = new ArrayList<>();
    long bytes = 0;
    for (byte[] fragment : stored) {
      bytes += fragment.length;
      try {
        for (ResourceSpans rs :
            ExportTraceServiceRequest.parseFrom(fragment).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span s : ss.getSpansList()) {
              spans.add(new TraceData.SpanWithResource(rs.getResource(), s));
            }
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a stored fragment does not decode; state is corrupt", e);
      }
    }
    return new TraceData(traceId, spans, bytes);
  }

  private static String tenant(Record<byte[], byte[]> record) {
    var h = record.headers().lastHeader(Headers.TENANT);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static org.apache.kafka.common.header.Headers tenantHeaders(String tenant) {
    RecordHeaders headers = new RecordHeaders();
    if (tenant != null) {
      headers.add(Headers.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason) {
    metrics.deadLettered(context.recordMetadata().map(m -> m.topic()).orElse("unknown"), reason);
    DeadLetters.send(context, record, reason);
  }
}
