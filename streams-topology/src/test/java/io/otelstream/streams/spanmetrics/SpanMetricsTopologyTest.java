package io.otelstream.streams.spanmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.config.ConfigLoader;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.streams.aggregation.AggregationMetrics;
import io.otelstream.streams.app.OtelstreamTopology;
import io.otelstream.streams.app.TestTopologies;
import io.otelstream.streams.sampling.PolicyFactory;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.streams.signals.LogsConfig;
import io.otelstream.streams.signals.MetricsConfig;
import io.otelstream.streams.signals.SignalMetrics;
import io.otelstream.streams.traces.InFlightHeap;
import io.otelstream.streams.traces.InputEnd;
import io.otelstream.streams.traces.SamplingMetrics;
import io.otelstream.streams.traces.SamplingSettings;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Span metrics on TopologyTestDriver: every span of every trace is counted, kept or dropped, late
 * spans too, and the aggregation stage writes one cumulative series per dimension set.
 */
class SpanMetricsTopologyTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> in;
  private TestOutputTopic<byte[], byte[]> out;

  private void start(String spanMetricsYaml) {
    start(spanMetricsYaml, "enabled: false");
  }

  private void start(String spanMetricsYaml, String serviceGraphYaml) {
    TailSamplingConfig policies =
        loader.parse(
            "decision_wait: 2s\npolicies: [{name: errors, type: status_code,"
                + " status_code: {status_codes: [ERROR]}}]",
            TailSamplingConfig.class,
            "t");
    var parts =
        new OtelstreamTopology.Parts(
            SamplingSettings.from(policies, 1 << 20, InFlightHeap.ofMaxHeap()),
            () -> PolicyFactory.engine(policies, "tail_sampling"),
            new SamplingMetrics(registry),
            loader.parse("aggregation: {interval: 5s}", MetricsConfig.class, "metrics"),
            LogsConfig.passThrough(),
            new SignalMetrics(registry),
            new AggregationMetrics(registry),
            new TraceMetricsConfig(
                loader.parse(spanMetricsYaml, SpanMetricsConfig.class, "span_metrics"),
                loader.parse(serviceGraphYaml, ServiceGraphConfig.class, "service_graph")),
            InputEnd.NONE,
            io.otelstream.streams.processing.Pipelines.NONE);
    driver =
        new TopologyTestDriver(
            OtelstreamTopology.build(topics, parts),
            TestTopologies.driverProperties("spanmetrics"),
            Instant.EPOCH);
    in =
        driver.createInputTopic(
            topics.name(Topic.TRACES), new ByteArraySerializer(), new ByteArraySerializer());
    out =
        driver.createOutputTopic(
            topics.name(Topic.METRICS_PROCESSED),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void everySpanIsCountedKeptOrDroppedAndLateOnesToo() throws Exception {
    start(
        "enabled: true\nmetrics_flush_interval: 5s\ndimensions: [{name: http.route, default: none}]");
    // 10 traces of 3 spans (server 20 ms, two clients 5 ms); every other trace has an error.
    for (int t = 0; t < 10; t++) {
      for (int s = 0; s < 3; s++) {
        send(t, s, s == 0 && t % 2 == 0, 100L * t);
      }
    }
    for (int i = 0; i < 6; i++) {
      driver.advanceWallClockTime(Duration.ofSeconds(5));
    }
    Map<String, Long> calls = calls();
    assertThat(calls)
        .containsEntry("shop|checkout|SPAN_KIND_SERVER|STATUS_CODE_ERROR|/pay", 5L)
        .containsEntry("shop|checkout|SPAN_KIND_SERVER|STATUS_CODE_UNSET|/pay", 5L)
        .containsEntry("shop|call|SPAN_KIND_CLIENT|STATUS_CODE_UNSET|none", 20L);
    // A late span of a decided (dropped) trace counts too.
    send(1, 7, false, 60_000);
    for (int i = 0; i < 3; i++) {
      driver.advanceWallClockTime(Duration.ofSeconds(5));
    }
    assertThat(calls()).containsEntry("shop|call|SPAN_KIND_CLIENT|STATUS_CODE_UNSET|none", 21L);
    Metric duration = last("traces.span.metrics.duration", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR");
    assertThat(duration.getUnit()).isEqualTo("ms");
    assertThat(duration.getHistogram().getDataPoints(0).getCount()).isEqualTo(5);
    assertThat(duration.getHistogram().getDataPoints(0).getSum()).isEqualTo(100.0);
  }

  @Test
  void exemplarsComeOnlyFromKeptTracesAndAreWrittenOnce() throws Exception {
    start("enabled: true\nmetrics_flush_interval: 5s\nexemplars: {enabled: true}");
    for (int t = 0; t < 10; t++) {
      for (int s = 0; s < 3; s++) {
        send(t, s, s == 0 && t % 2 == 0, 100L * t); // even traces have an error: kept
      }
    }
    java.util.Set<String> exemplarTraces = new java.util.TreeSet<>();
    int exemplarsSeen = 0;
    for (int i = 0; i < 6; i++) {
      driver.advanceWallClockTime(Duration.ofSeconds(5));
      for (var r : out.readRecordsToList()) {
        for (var rm : ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
          for (var sm : rm.getScopeMetricsList()) {
            for (Metric m : sm.getMetricsList()) {
              if (m.hasHistogram()) {
                for (var e : m.getHistogram().getDataPoints(0).getExemplarsList()) {
                  exemplarsSeen++;
                  exemplarTraces.add(
                      java.util.HexFormat.of().formatHex(e.getTraceId().toByteArray()));
                  assertThat(e.getAsDouble()).isIn(20.0, 5.0);
                }
              }
            }
          }
        }
      }
    }
    java.util.Set<String> kept = new java.util.TreeSet<>();
    for (int t = 0; t < 10; t += 2) {
      kept.add(
          java.util.HexFormat.of()
              .formatHex(ByteBuffer.allocate(16).putLong(7).putLong(t + 1).array()));
    }
    assertThat(exemplarTraces).isNotEmpty().isSubsetOf(kept);
    // One exemplar per bucket and series: the error server series and the client series each
    // hold one; the unset server series has no kept trace, so none.
    assertThat(exemplarsSeen).isEqualTo(2);
  }

  @Test
  void serviceGraphPairsClientAndServerSpansOfATrace() throws Exception {
    start("enabled: false", "enabled: true\nmetrics_flush_interval: 5s");
    // 4 traces: web (root server) -> web client -> api server -> api client to postgres (no
    // server span: a virtual node); trace 0's api server fails. Plus a server span whose parent
    // is missing: unpaired.
    for (int t = 0; t < 4; t++) {
      byte[] id = ByteBuffer.allocate(16).putLong(9).putLong(t + 1).array();
      in.pipeInput(
          RecordKeys.traceKey(id),
          request(
              resourceSpans(
                  "web",
                  span(id, 1, 0, Span.SpanKind.SPAN_KIND_SERVER, 30, false, null),
                  span(id, 2, 1, Span.SpanKind.SPAN_KIND_CLIENT, 20, false, null)),
              resourceSpans(
                  "api",
                  span(id, 3, 2, Span.SpanKind.SPAN_KIND_SERVER, 15, t == 0, null),
                  span(id, 4, 3, Span.SpanKind.SPAN_KIND_CLIENT, 5, false, "postgresql"))),
          100L * t);
    }
    byte[] orphan = ByteBuffer.allocate(16).putLong(9).putLong(99).array();
    in.pipeInput(
        RecordKeys.traceKey(orphan),
        request(
            resourceSpans(
                "api", span(orphan, 5, 77, Span.SpanKind.SPAN_KIND_SERVER, 1, false, null))),
        500);
    for (int i = 0; i < 6; i++) {
      driver.advanceWallClockTime(Duration.ofSeconds(5));
    }
    Map<String, Long> requests = new TreeMap<>();
    Map<String, Long> failed = new TreeMap<>();
    Map<String, Long> serverCounts = new TreeMap<>();
    for (var r : out.readRecordsToList()) {
      for (var rm : ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
        for (var sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            var attrs =
                m.hasSum()
                    ? m.getSum().getDataPoints(0).getAttributesList()
                    : m.getHistogram().getDataPoints(0).getAttributesList();
            Map<String, String> a = new TreeMap<>();
            attrs.forEach(kv -> a.put(kv.getKey(), kv.getValue().getStringValue()));
            String edge =
                a.get("client")
                    + "->"
                    + a.get("server")
                    + "/"
                    + a.getOrDefault("connection_type", "");
            switch (m.getName()) {
              case "traces_service_graph_request_total" ->
                  requests.put(edge, m.getSum().getDataPoints(0).getAsInt());
              case "traces_service_graph_request_failed_total" ->
                  failed.put(edge, m.getSum().getDataPoints(0).getAsInt());
              case "traces_service_graph_request_server" -> {
                assertThat(m.getUnit()).isEqualTo("s");
                serverCounts.put(edge, m.getHistogram().getDataPoints(0).getCount());
              }
              default -> {}
            }
          }
        }
      }
    }
    assertThat(requests)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "user->web/virtual_node", 4L,
                "web->api/", 4L,
                "api->postgresql/virtual_node", 4L));
    assertThat(failed).containsExactlyInAnyOrderEntriesOf(Map.of("web->api/", 1L));
    assertThat(serverCounts)
        .containsEntry("web->api/", 4L)
        .containsEntry("user->web/virtual_node", 4L);
    assertThat(
            registry
                .get("otelstream.streams.service.graph.unpaired.spans")
                .tag("kind", "server")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void collectorOnlyKeysAreAcceptedAndUnsupportedOnesNamed() {
    SpanMetricsConfig c =
        loader.parse(
            """
            enabled: true
            histogram: {unit: s, explicit: {buckets: [10ms, 100ms, 1s]}}
            dimensions_cache_size: 1000
            aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE
            metrics_flush_interval: 30s
            """,
            SpanMetricsConfig.class,
            "span_metrics");
    assertThat(c.histogram().bounds()).containsExactly(0.01, 0.1, 1.0);
    assertThatThrownBy(
            () ->
                loader.parse(
                    "aggregation_temporality: AGGREGATION_TEMPORALITY_DELTA",
                    SpanMetricsConfig.class,
                    "span_metrics"))
        .hasMessageContaining("aggregation_temporality");
    assertThatThrownBy(
            () ->
                loader.parse(
                    "histogram: {exponential: {max_size: 160}}", SpanMetricsConfig.class, "s"))
        .hasMessageContaining("histogram.exponential is not supported yet");
  }

  // --- helpers -------------------------------------------------------------------------------

  private final Map<String, Metric> lastPoints = new TreeMap<>();

  /** Calls by "service|span|kind|status|route", as last written. */
  private Map<String, Long> calls() throws Exception {
    for (var r : out.readRecordsToList()) {
      for (var rm : ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
        for (var sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            var attrs =
                m.hasSum()
                    ? m.getSum().getDataPoints(0).getAttributesList()
                    : m.getHistogram().getDataPoints(0).getAttributesList();
            lastPoints.put(m.getName() + "|" + key(attrs), m);
          }
        }
      }
    }
    Map<String, Long> calls = new TreeMap<>();
    lastPoints.forEach(
        (k, m) -> {
          if (k.startsWith("traces.span.metrics.calls|")) {
            calls.put(k.substring(k.indexOf('|') + 1), m.getSum().getDataPoints(0).getAsInt());
          }
        });
    return calls;
  }

  private Metric last(String name, String kind, String status) {
    return lastPoints.entrySet().stream()
        .filter(e -> e.getKey().startsWith(name + "|") && e.getKey().contains(kind + "|" + status))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static String key(java.util.List<KeyValue> attrs) {
    Map<String, String> m = new TreeMap<>();
    attrs.forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
    return String.join(
        "|",
        m.get("service.name"),
        m.get("span.name"),
        m.get("span.kind"),
        m.get("status.code"),
        m.get("http.route"));
  }

  private static Span span(
      byte[] traceId, int id, int parent, Span.SpanKind kind, int ms, boolean error, String db) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
            .setName("op-" + id)
            .setKind(kind)
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_000_000_000L + ms * 1_000_000L);
    if (parent > 0) {
      s.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(parent).array()));
    }
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    if (db != null) {
      s.addAttributes(
          KeyValue.newBuilder()
              .setKey("db.system")
              .setValue(AnyValue.newBuilder().setStringValue(db)));
    }
    return s.build();
  }

  private static ResourceSpans resourceSpans(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(java.util.List.of(spans)))
        .build();
  }

  private static byte[] request(ResourceSpans... rs) {
    return ExportTraceServiceRequest.newBuilder()
        .addAllResourceSpans(java.util.List.of(rs))
        .build()
        .toByteArray();
  }

  private void send(int trace, int span, boolean error, long timeMs) {
    byte[] traceId = ByteBuffer.allocate(16).putLong(7).putLong(trace + 1).array();
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(span + 1).array()))
            .setName(span == 0 ? "checkout" : "call")
            .setKind(span == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_000_000_000L + (span == 0 ? 20_000_000L : 5_000_000L));
    if (span == 0) {
      s.addAttributes(
          KeyValue.newBuilder()
              .setKey("http.route")
              .setValue(AnyValue.newBuilder().setStringValue("/pay")));
    }
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue("shop")))
            .build();
    byte[] value =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resource)
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(s)))
            .build()
            .toByteArray();
    in.pipeInput(RecordKeys.traceKey(traceId), value, timeMs);
  }
}
