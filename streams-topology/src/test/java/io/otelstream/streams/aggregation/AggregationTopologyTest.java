package io.otelstream.streams.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.config.ConfigLoader;
import io.otelstream.schemas.Headers;
import io.otelstream.streams.app.OtelstreamTopology;
import io.otelstream.streams.app.TestTopologies;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.streams.signals.LogsConfig;
import io.otelstream.streams.signals.MetricsConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The aggregation stage on TopologyTestDriver: what is written to otlp-metrics-processed after each
 * interval, read back as series (attributes → last value), as Prometheus would hold them.
 */
class AggregationTopologyTest {
  private static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  private final ConfigLoader loader = new ConfigLoader(Map.of());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> in;
  private TestOutputTopic<byte[], byte[]> out;

  /** Series as the processed topic last said them: labels → value, staleness markers remove. */
  private final Map<String, Double> series = new TreeMap<>();

  private void start(String metricsYaml) {
    TailSamplingConfig ts =
        loader.parse("policies: [{name: all, type: always_sample}]", TailSamplingConfig.class, "t");
    var parts =
        TestTopologies.parts(
            ts,
            loader.parse(metricsYaml, MetricsConfig.class, "metrics"),
            LogsConfig.passThrough(),
            registry);
    driver =
        new TopologyTestDriver(
            OtelstreamTopology.build(topics, parts),
            TestTopologies.driverProperties("aggregation"),
            Instant.EPOCH);
    in =
        driver.createInputTopic(
            topics.name(Topic.METRICS), new ByteArraySerializer(), new ByteArraySerializer());
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
  void deletingAPointAttributeMergesTheHistogramsOfOneRecord() throws Exception {
    start("attributes: [{key: user_id, action: delete}]\naggregation: {interval: 15s}");
    // 5 users, 8 requests each, 0.105 s each: 40 requests, 4.2 s.
    List<Metric> points = new ArrayList<>();
    for (int u = 0; u < 5; u++) {
      points.add(histogram("u" + u, 1, 8, 0.84));
    }
    send(null, resource("shop", "i-1"), points);
    emit();
    assertThat(series).containsOnlyKeys("http.server.duration{}|shop/i-1");
    assertThat(series.get("http.server.duration{}|shop/i-1")).isEqualTo(40.0);
    assertThat(sums.get("http.server.duration{}|shop/i-1")).isCloseTo(4.2, within());
  }

  @Test
  void removingTheInstanceAddsSourcesAndSurvivesResetsAndStops() throws Exception {
    start(
        "attributes: [{key: user_id, action: delete}]\n"
            + "resource_attributes: [{key: service.instance.id, action: delete}]\n"
            + "aggregation: {interval: 15s, staleness: 60s}");
    long truth = 0;
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < 3; i++) {
        List<Metric> points = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
          points.add(counter("u" + u, 1, round * (i + 1)));
        }
        send(null, resource("shop", "i-" + i), points);
      }
      truth = 5L * round * 6; // 5 users × (1 + 2 + 3) × round
      emit();
      assertThat(series).containsOnlyKeys("requests{}|shop/");
      assertThat(series.get("requests{}|shop/")).isEqualTo(truth);
    }
    // Instance 0 restarts: its counters start again from 1 with a new start time.
    send(null, resource("shop", "i-0"), List.of(counter("u0", 99, 1)));
    truth += 1;
    emit();
    assertThat(series.get("requests{}|shop/")).isEqualTo(truth);
    assertThat(registry.counter("otelstream.streams.metric.source.resets").count()).isEqualTo(1);
    // Instance 2 stops; the others go on. Its last values stay in the total after it is forgotten.
    for (int k = 0; k < 6; k++) {
      send(null, resource("shop", "i-1"), List.of(counter("u0", 1, 100 + k)));
      truth += k == 0 ? 100 - 6 : 1;
      emit();
      assertThat(series.get("requests{}|shop/")).isEqualTo(truth);
    }
    assertThat(registry.counter("otelstream.streams.metric.sources.forgotten").count())
        .isGreaterThan(0);
  }

  @Test
  void deltaSumsBecomeCumulative() throws Exception {
    start("aggregation: {interval: 15s}");
    for (int k = 0; k < 3; k++) {
      send(null, resource("batch", "i-1"), List.of(delta("u0", 5)));
      emit();
    }
    assertThat(series.get("jobs{user_id=u0}|batch/i-1")).isEqualTo(15.0);
    Metric last = lastPoints.get("jobs{user_id=u0}|batch/i-1");
    assertThat(last.getSum().getAggregationTemporality()).isEqualTo(CUMULATIVE);
  }

  /**
   * As the Collector's deltatocumulative: a delta point that starts before the end of the source's
   * last one (a retried export, a reordered one) is dropped and counted, a gap is fine.
   */
  @Test
  void deltaPointsOutOfOrderOrRepeatedAreDroppedAndCounted() throws Exception {
    start("aggregation: {interval: 15s}");
    long[][] windows = {{100, 200}, {200, 300}, {200, 300}, {150, 250}, {400, 500}};
    for (long[] w : windows) {
      Metric d = delta("u0", 5);
      d =
          d.toBuilder()
              .setSum(
                  d.getSum().toBuilder()
                      .setDataPoints(
                          0,
                          d.getSum().getDataPoints(0).toBuilder()
                              .setStartTimeUnixNano(w[0])
                              .setTimeUnixNano(w[1])))
              .build();
      send(null, resource("batch", "i-1"), List.of(d));
      emit();
    }
    assertThat(series.get("jobs{user_id=u0}|batch/i-1")).isEqualTo(15.0);
    assertThat(
            registry
                .counter("otelstream.streams.metric.points.dropped", "reason", "delta_out_of_order")
                .count())
        .isEqualTo(2);
  }

  @Test
  void gaugesCombineByTheConfiguredFunction() throws Exception {
    start(
        "resource_attributes: [{key: service.instance.id, action: delete}]\n"
            + "aggregation: {interval: 15s, gauge: sum}");
    send(null, resource("q", "i-1"), List.of(gauge(3)));
    send(null, resource("q", "i-2"), List.of(gauge(4)));
    emit();
    assertThat(series.get("depth{}|q/")).isEqualTo(7.0);
  }

  @Test
  void tenantsNeverMix() throws Exception {
    start("attributes: [{key: user_id, action: delete}]\naggregation: {interval: 15s}");
    send("a", resource("shop", "i-1"), List.of(counter("u0", 1, 3)));
    send("b", resource("shop", "i-1"), List.of(counter("u0", 1, 4)));
    emit();
    assertThat(series).containsOnlyKeys("a:requests{}|shop/i-1", "b:requests{}|shop/i-1");
  }

  @Test
  void theGuardDropsAnAttributeWithTooManyValuesAndKeepsTheTotal() throws Exception {
    start(
        "aggregation: {interval: 15s}\n"
            + "cardinality: {max_values_per_attribute: 10, max_series_per_metric: 100}");
    long truth = 0;
    for (int r = 0; r < 50; r++) {
      send(null, resource("shop", "i-1"), List.of(counterWith("request_id", "r" + r, 1, 2)));
      truth += 2;
      if (r % 7 == 0) {
        emit();
      }
    }
    emit();
    assertThat(series).containsOnlyKeys("requests{}|shop/i-1");
    assertThat(series.get("requests{}|shop/i-1")).isEqualTo(truth);
    assertThat(registry.counter("otelstream.streams.cardinality.attributes.dropped").count())
        .isEqualTo(1);
    // Further points keep adding to the merged series.
    send(null, resource("shop", "i-1"), List.of(counterWith("request_id", "r3", 1, 5)));
    emit();
    assertThat(series.get("requests{}|shop/i-1")).isEqualTo(truth + 3);
  }

  @Test
  void seriesOverTheLimitGoToOneOverflowSeriesWithTheTrueTotal() throws Exception {
    start(
        "aggregation: {interval: 15s}\n"
            + "cardinality: {max_series_per_metric: 5, never_drop: [http.route]}");
    long truth = 0;
    for (int r = 0; r < 20; r++) {
      send(null, resource("shop", "i-1"), List.of(counterWith("http.route", "/r" + r, 1, 3)));
      truth += 3;
    }
    emit();
    assertThat(series).hasSize(6).containsKey("requests{otel.metric.overflow=true}|shop/i-1");
    assertThat(series.get("requests{otel.metric.overflow=true}|shop/i-1")).isEqualTo(45.0);
    assertThat(series.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(truth);
    // An overflowing source stays in the overflow series.
    send(null, resource("shop", "i-1"), List.of(counterWith("http.route", "/r19", 1, 10)));
    emit();
    assertThat(series.get("requests{otel.metric.overflow=true}|shop/i-1")).isEqualTo(52.0);
  }

  // --- helpers -------------------------------------------------------------------------------

  private final Map<String, Double> sums = new TreeMap<>();
  private final Map<String, Metric> lastPoints = new LinkedHashMap<>();

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  private void emit() throws Exception {
    driver.advanceWallClockTime(Duration.ofSeconds(15));
    for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
      var tenantHeader = r.headers().lastHeader(Headers.TENANT);
      String tenant =
          tenantHeader == null
              ? ""
              : new String(tenantHeader.value(), StandardCharsets.UTF_8) + ":";
      for (ResourceMetrics rm :
          ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
        String target =
            attr(rm.getResource().getAttributesList(), "service.name")
                + "/"
                + attr(rm.getResource().getAttributesList(), "service.instance.id");
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            String key = tenant + m.getName() + labels(PointMath.attributes(m)) + "|" + target;
            if ((PointMath.flags(m) & 1) != 0) {
              series.remove(key);
              continue;
            }
            lastPoints.put(key, m);
            switch (m.getDataCase()) {
              case HISTOGRAM -> {
                series.put(key, (double) m.getHistogram().getDataPoints(0).getCount());
                sums.put(key, m.getHistogram().getDataPoints(0).getSum());
              }
              default -> series.put(key, PointMath.numberValue(m));
            }
          }
        }
      }
    }
  }

  private static String labels(List<KeyValue> attrs) {
    StringBuilder b = new StringBuilder("{");
    attrs.stream()
        .sorted(java.util.Comparator.comparing(KeyValue::getKey))
        .forEach(
            kv ->
                b.append(b.length() > 1 ? "," : "")
                    .append(kv.getKey())
                    .append('=')
                    .append(
                        kv.getValue().hasBoolValue()
                            ? String.valueOf(kv.getValue().getBoolValue())
                            : kv.getValue().getStringValue()));
    return b.append('}').toString();
  }

  private static String attr(List<KeyValue> attrs, String key) {
    return attrs.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }

  private void send(String tenant, Resource resource, List<Metric> metrics) {
    ScopeMetrics.Builder sm =
        ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    sm.addAllMetrics(metrics);
    byte[] value =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(sm))
            .build()
            .toByteArray();
    RecordHeaders headers = new RecordHeaders();
    if (tenant != null) {
      headers.add(Headers.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
    }
    in.pipeInput(
        new TestRecord<>(io.otelstream.schemas.RecordKeys.resourceKey(resource), value, headers));
  }

  static Resource resource(String service, String instance) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", service))
        .addAttributes(kv("service.instance.id", instance))
        .build();
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  static Metric histogram(String user, long start, long count, double sum) {
    return Metric.newBuilder()
        .setName("http.server.duration")
        .setUnit("s")
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(CUMULATIVE)
                .addDataPoints(
                    HistogramDataPoint.newBuilder()
                        .addAttributes(kv("user_id", user))
                        .setStartTimeUnixNano(start)
                        .setTimeUnixNano(start + 10)
                        .addAllExplicitBounds(List.of(0.1, 1.0))
                        .addAllBucketCounts(List.of(0L, count, 0L))
                        .setCount(count)
                        .setSum(sum)))
        .build();
  }

  static Metric counter(String user, long start, long value) {
    return counterWith("user_id", user, start, value);
  }

  static Metric counterWith(String key, String v, long start, long value) {
    return Metric.newBuilder()
        .setName("requests")
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(CUMULATIVE)
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .addAttributes(kv(key, v))
                        .setStartTimeUnixNano(start)
                        .setTimeUnixNano(start + 10)
                        .setAsInt(value)))
        .build();
  }

  static Metric delta(String user, long value) {
    return Metric.newBuilder()
        .setName("jobs")
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .addAttributes(kv("user_id", user))
                        .setAsInt(value)))
        .build();
  }

  static Metric gauge(double v) {
    return Metric.newBuilder()
        .setName("depth")
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(5).setAsDouble(v)))
        .build();
  }
}
