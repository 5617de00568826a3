package io.otelstream.streams.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.OtelstreamTopology;
import io.otelstream.streams.app.TestTopologies;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sampling topology end to end on TopologyTestDriver (real RocksDB stores). */
class TailSamplingTopologyTest {
  private static final String POLICIES =
      """
      decision_wait: 10s
      decision_cache: {ttl: 1m}
      num_traces: 100
      max_spans_per_trace: 50
      policy_attribute: true
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> in;
  private TestOutputTopic<byte[], byte[]> out;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private void start(String yaml) {
    start(yaml, java.time.Duration.ZERO);
  }

  private void start(String yaml, java.time.Duration maxClockSkew) {
    TailSamplingConfig config =
        new ConfigLoader(Map.of()).parse(yaml, TailSamplingConfig.class, "test");
    TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());
    var topology =
        OtelstreamTopology.build(
            topics,
            TestTopologies.parts(
                config,
                io.otelstream.streams.signals.MetricsConfig.defaults(),
                io.otelstream.streams.signals.LogsConfig.passThrough(),
                registry,
                maxClockSkew));
    Properties p = TestTopologies.driverProperties("test");
    driver = new TopologyTestDriver(topology, p, Instant.ofEpochMilli(0));
    in =
        driver.createInputTopic(
            topics.name(Topic.TRACES), new ByteArraySerializer(), new ByteArraySerializer());
    out =
        driver.createOutputTopic(
            topics.name(Topic.TRACES_SAMPLED),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.name(Topic.DEADLETTER),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private static byte[] id(int n) {
    return ByteBuffer.allocate(16).putLong(1).putLong(n).array();
  }

  private static byte[] fragment(byte[] traceId, int spanId, boolean error) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(spanId).array()))
            .setName("s" + spanId);
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(s)))
        .build()
        .toByteArray();
  }

  private void send(byte[] traceId, int spanId, boolean error, long timeMs) {
    send("acme", traceId, spanId, error, timeMs);
  }

  private void send(String tenant, byte[] traceId, int spanId, boolean error, long timeMs) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("otelstream.tenant", tenant.getBytes(StandardCharsets.UTF_8));
    in.pipeInput(
        new TestRecord<>(
            HexFormat.of().formatHex(traceId).getBytes(StandardCharsets.US_ASCII),
            fragment(traceId, spanId, error),
            headers,
            timeMs));
  }

  private static List<Span> spans(byte[] value) throws Exception {
    return ExportTraceServiceRequest.parseFrom(value).getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .toList();
  }

  @Test
  void keepsAWholeTraceOnceAfterDecisionWaitOfRecordTime() throws Exception {
    start(POLICIES);
    send(id(1), 1, false, 1_000);
    send(id(1), 2, true, 3_000);
    send(id(2), 1, false, 2_000);
    assertThat(out.isEmpty()).as("nothing before decision_wait").isTrue();
    send(id(3), 1, false, 11_500); // stream time passes trace 1's deadline (11s)
    var records = out.readRecordsToList();
    assertThat(records).hasSize(1);
    assertThat(new String(records.get(0).key(), StandardCharsets.US_ASCII))
        .isEqualTo(HexFormat.of().formatHex(id(1)));
    List<Span> kept = spans(records.get(0).value());
    assertThat(kept).extracting(Span::getName).containsExactly("s1", "s2");
    assertThat(kept.get(0).getAttributesList())
        .anyMatch(
            a ->
                a.getKey().equals("tailsampling.policy")
                    && a.getValue().getStringValue().equals("errors"));
    assertThat(
            new String(
                records.get(0).headers().lastHeader("otelstream.tenant").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("acme");
    send(id(3), 2, false, 30_000);
    assertThat(out.isEmpty()).as("traces 2 and 3 have no error").isTrue();
    assertThat(
            registry
                .get("otelstream.streams.traces.decided")
                .tag("decision", "not_sampled")
                .counter()
                .count())
        .isEqualTo(2);
  }

  /**
   * Two tenants' spans with one trace ID (a propagated traceparent, a leaked or forged ID) are two
   * traces: each decided on its own spans and delivered only under its own tenant.
   */
  @Test
  void tenantsSharingATraceIdNeverMix() throws Exception {
    start(POLICIES);
    send("acme", id(7), 1, false, 1_000);
    send("evil", id(7), 2, true, 2_000);
    send("acme", id(8), 1, false, 12_500); // past both deadlines
    var records = out.readRecordsToList();
    assertThat(records).hasSize(1);
    assertThat(
            new String(
                records.get(0).headers().lastHeader("otelstream.tenant").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("evil");
    assertThat(new String(records.get(0).key(), StandardCharsets.US_ASCII))
        .isEqualTo(HexFormat.of().formatHex(id(7)));
    assertThat(spans(records.get(0).value())).extracting(Span::getName).containsExactly("s2");
    // acme's trace was decided on acme's spans alone (no error): its late span is dropped too
    send("acme", id(7), 3, false, 13_000);
    assertThat(out.isEmpty()).as("acme's late span of the dropped trace").isTrue();
    send("evil", id(7), 4, false, 13_500);
    assertThat(out.readRecordsToList()).as("evil's late span follows evil's decision").hasSize(1);
  }

  /**
   * One edge host ten minutes fast: its record is bounded to the app's clock plus max_clock_skew,
   * so the stream time does not jump and other hosts' traces still wait their decision_wait.
   */
  @Test
  void aFastClockDoesNotDecideOtherHostsTracesEarly() throws Exception {
    start(POLICIES, java.time.Duration.ofSeconds(2));
    driver.advanceWallClockTime(java.time.Duration.ofSeconds(100));
    send(id(1), 1, false, 100_000); // a host with the right clock
    send(id(2), 1, false, 100_000 + 600_000); // a host ten minutes fast
    send(id(1), 2, true, 101_000); // trace 1's error span, a second later
    driver.advanceWallClockTime(java.time.Duration.ofSeconds(12));
    send(id(3), 1, false, 112_500);
    var records = out.readRecordsToList();
    assertThat(records)
        .as("trace 1 kept whole: it was not decided when the fast host's record came")
        .hasSize(1);
    assertThat(spans(records.get(0).value())).extracting(Span::getName).containsExactly("s1", "s2");
    assertThat(
            registry
                .get("otelstream.streams.record.time.adjusted")
                .tag("direction", "ahead")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void lateSpansFollowTheCachedDecisionAndAreCounted() throws Exception {
    start(POLICIES);
    send(id(1), 1, true, 0);
    send(id(2), 1, false, 0);
    send(id(9), 1, false, 20_000); // decides 1 (kept) and 2 (dropped)
    out.readRecordsToList();
    send(id(1), 7, false, 21_000);
    send(id(2), 7, false, 21_000);
    var late = out.readRecordsToList();
    assertThat(late).hasSize(1);
    assertThat(spans(late.get(0).value())).extracting(Span::getName).containsExactly("s7");
    assertThat(spans(late.get(0).value()).get(0).getAttributesList())
        .as("a late kept span names the policy that kept its trace")
        .anyMatch(
            a ->
                a.getKey().equals("tailsampling.policy")
                    && a.getValue().getStringValue().equals("errors"));
    assertThat(
            registry.get("otelstream.streams.late.spans").tag("outcome", "kept").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("otelstream.streams.late.spans")
                .tag("outcome", "dropped")
                .counter()
                .count())
        .isEqualTo(1);
    send(id(2), 8, true, 200_000); // after the 1m TTL: a new trace
    send(id(9), 2, false, 300_000);
    assertThat(out.readRecordsToList()).hasSize(1);
    assertThat(
            registry
                .get("otelstream.streams.late.spans")
                .tag("outcome", "new_trace")
                .counter()
                .count())
        .isEqualTo(2); // trace 2 at 200s and trace 9 at 300s, both past the TTL
  }

  @Test
  void idlePartitionIsReleasedByWallClock() {
    start(POLICIES);
    send(id(1), 1, true, 0);
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(out.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(7));
    assertThat(out.readRecordsToList()).hasSize(1);
  }

  @Test
  void boundsDecideEarlyAndNeverDropUndecided() {
    start(POLICIES.replace("num_traces: 100", "num_traces: 2"));
    send(id(1), 1, true, 0);
    send(id(2), 1, true, 1);
    send(id(3), 1, true, 2); // third trace in flight: the oldest (1) is decided now
    assertThat(out.readRecordsToList()).hasSize(1);
    assertThat(
            registry
                .get("otelstream.streams.early.decisions")
                .tag("reason", "too_many_traces")
                .counter()
                .count())
        .isEqualTo(1);
    for (int s = 1; s <= 50; s++) {
      send(id(4), 100 + s, s == 1, 3);
    }
    assertThat(
            registry
                .get("otelstream.streams.early.decisions")
                .tag("reason", "trace_too_large")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aDecisionIsInTheStoreWhenTheRecordThatTookItIsProcessed() {
    start(POLICIES.replace("num_traces: 100", "num_traces: 2"));
    send(id(1), 1, true, 0);
    send(id(2), 1, true, 1);
    send(id(3), 1, true, 2); // decides trace 1 early, with no second of record time crossed
    assertThat(out.readRecordsToList()).hasSize(1);
    // Committed with its output: in the store before processing returns to Kafka Streams.
    org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>
        decisions = driver.getKeyValueStore(TraceStores.DECISIONS);
    java.util.List<byte[]> decided = new java.util.ArrayList<>();
    try (var all = decisions.all()) {
      all.forEachRemaining(
          kv -> DecisionRecords.decodeBatch(kv.value).forEach(e -> decided.add(e.traceId())));
    }
    assertThat(decided).as("trace 1's decision (keyed with its tenant)").hasSize(1);
  }

  @Test
  void garbageGoesToTheDeadLetterTopicAndProcessingContinues() {
    start(POLICIES);
    in.pipeInput(
        new TestRecord<>(
            "not-a-trace-id".getBytes(StandardCharsets.US_ASCII),
            new byte[] {1, 2, 3},
            new RecordHeaders(),
            0L));
    in.pipeInput(
        new TestRecord<>(
            HexFormat.of().formatHex(id(5)).getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x0a, (byte) 0xff},
            new RecordHeaders(),
            0L));
    send(id(1), 1, true, 0);
    send(id(2), 1, false, 20_000);
    var dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(
            new String(
                dead.get(0)
                    .headers()
                    .lastHeader(io.otelstream.schemas.Headers.DEADLETTER_REASON)
                    .value(),
                StandardCharsets.UTF_8))
        .isEqualTo("invalid_key");
    assertThat(
            new String(
                dead.get(1)
                    .headers()
                    .lastHeader(io.otelstream.schemas.Headers.DEADLETTER_REASON)
                    .value(),
                StandardCharsets.UTF_8))
        .isEqualTo("undecodable");
    assertThat(
            new String(
                dead.get(1)
                    .headers()
                    .lastHeader(io.otelstream.schemas.Headers.DEADLETTER_OFFSET)
                    .value(),
                StandardCharsets.UTF_8))
        .isEqualTo("1");
    assertThat(dead.get(1).value()).containsExactly(0x0a, (byte) 0xff);
    assertThat(out.readRecordsToList()).hasSize(1);
  }
}
