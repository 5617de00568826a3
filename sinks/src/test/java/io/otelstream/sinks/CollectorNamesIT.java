package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same OTLP metrics through otelstream's Mimir sink and through a real Collector's {@code
 * prometheus_remote_write} exporter (v0.160.0, built by perf/collector/build.sh), each into its own
 * real Prometheus: every series has the same name, labels and value in both. The metrics exercise
 * the naming rules that differed before (unit words already in the name, {@code key_} prefixes,
 * {@code _ratio} only for gauges, colliding attribute names, number formatting in labels).
 */
class CollectorNamesIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void prometheusSeesTheSameSeriesFromOtelstreamAndTheCollector() throws Exception {
    Files.createDirectories(dir.resolve("ours"));
    Files.createDirectories(dir.resolve("theirs"));
    // Hand-built metrics for every naming rule, and what the real Java SDK exports.
    List<byte[]> requests = List.of(metrics(System.currentTimeMillis() * 1_000_000L), sdkMetrics());
    try (RemoteWriteReceivers ours = new RemoteWriteReceivers(dir.resolve("ours"));
        RemoteWriteReceivers theirs = new RemoteWriteReceivers(dir.resolve("theirs"));
        EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), "names-it")) {
      int otlpPort = io.otelstream.kafka.FreePorts.next();
      int telemetryPort = io.otelstream.kafka.FreePorts.next();
      Path config = dir.resolve("collector.yaml");
      Files.writeString(
          config,
          """
          receivers:
            otlp:
              protocols: {http: {endpoint: "127.0.0.1:%d"}}
          exporters:
            prometheus_remote_write:
              endpoint: "%s/api/v1/write"
              tls: {insecure: true}
          service:
            pipelines:
              metrics: {receivers: [otlp], exporters: [prometheus_remote_write]}
            telemetry:
              metrics:
                level: normal
                readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: %d}}}}]
          """
              .formatted(otlpPort, theirs.prometheus, telemetryPort));
      Process collector =
          TestReceivers.start(
              "otelcol-otelstream",
              dir.resolve("collector.log"),
              "http://127.0.0.1:" + telemetryPort + "/metrics",
              "--config",
              config.toString());
      try {
        for (byte[] request : requests) {
          HttpResponse<String> posted =
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + otlpPort + "/v1/metrics"))
                          .header("Content-Type", "application/x-protobuf")
                          .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
          assertThat(posted.statusCode()).isEqualTo(200);
        }

        try (Admin admin = kafka.admin()) {
          admin.createTopics(List.of(new NewTopic("names", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> p =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
          for (byte[] request : requests) {
            p.send(new ProducerRecord<>("names", "r".getBytes(), request)).get();
          }
        }
        // The same records once more with exponential histograms as classic buckets, into the
        // VictoriaMetrics beside "our" Prometheus (one Prometheus refuses a second writer of the
        // same series).
        connect.put(
            "/connectors/names-explicit/config",
            """
            {"connector.class": "io.otelstream.sinks.mimir.MimirSinkConnector", "topics": "names",
             "otlp.signal": "metrics", "backend.url": "%s/api/v1/write", "batch.linger.ms": "100",
             "mimir.exponential.histograms": "explicit"}
            """
                .formatted(ours.victoria));
        connect.put(
            "/connectors/names/config",
            """
            {"connector.class": "io.otelstream.sinks.mimir.MimirSinkConnector", "topics": "names",
             "otlp.signal": "metrics", "backend.url": "%s/api/v1/write", "batch.linger.ms": "100"}
            """
                .formatted(ours.prometheus));

        try {
          Awaitility.await("series in both Prometheus servers")
              .atMost(90, TimeUnit.SECONDS)
              .pollInterval(1, TimeUnit.SECONDS)
              .until(
                  () ->
                      has(series(ours.prometheus), "rpc_latency_milliseconds_count{")
                          && has(series(ours.prometheus), "payload_bytes{")
                          && has(series(ours.victoria), "payload_bytes_count{")
                          && has(series(theirs.prometheus), "rpc_latency_milliseconds_count{")
                          && has(series(ours.prometheus), "sdk_latency_milliseconds_count{")
                          && has(series(ours.prometheus), "sdk_payload_bytes{")
                          && has(series(theirs.prometheus), "sdk_latency_milliseconds_count{")
                          && has(series(theirs.prometheus), "sdk_payload_bytes{")
                          && has(series(theirs.prometheus), "payload_bytes{"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              "otelstream: "
                  + series(ours.prometheus)
                  + "\nthe Collector: "
                  + series(theirs.prometheus)
                  + "\ncollector log: "
                  + Files.readString(dir.resolve("collector.log")),
              e);
        }
        Map<String, String> otelstream = series(ours.prometheus);
        Map<String, String> collectorSeries = series(theirs.prometheus);
        // The classic buckets of the explicit connector: cumulative per populated bucket.
        Map<String, String> explicit = new TreeMap<>(series(ours.victoria));
        explicit.keySet().removeIf(k -> !k.startsWith("payload_bytes_"));
        assertThat(explicit)
            .containsEntry(
                "payload_bytes_bucket{instance=i-1, job=shop/checkout, le=+Inf, otel_scope_name=lib,"
                    + " otel_scope_version=1.2}",
                "9")
            .containsEntry(
                "payload_bytes_count{instance=i-1, job=shop/checkout, otel_scope_name=lib,"
                    + " otel_scope_version=1.2}",
                "9")
            .containsEntry(
                "payload_bytes_sum{instance=i-1, job=shop/checkout, otel_scope_name=lib,"
                    + " otel_scope_version=1.2}",
                "42.5");
        // scale 3: bucket i's upper bound is 2^((i+1)/8); offset -2 -> 2^(-1/8), 2^(3/8)...
        assertThat(explicit.keySet())
            .anyMatch(
                k -> k.startsWith("payload_bytes_bucket{") && k.contains("le=0.917004043204671"));
        assertThat(new TreeSet<>(otelstream.keySet()))
            .as("series (name and labels): otelstream vs the Collector")
            .isEqualTo(new TreeSet<>(collectorSeries.keySet()));
        assertThat(otelstream).as("values").isEqualTo(collectorSeries);
        assertThat(otelstream.keySet())
            .anyMatch(k -> k.startsWith("app_bytes_sent_total{"))
            .anyMatch(k -> k.contains("key_2xx_count=3"));
      } finally {
        collector.destroy();
        collector.waitFor();
      }
    }
  }

  /**
   * What the real Java SDK exports for a counter, an up-down counter, an explicit and an
   * exponential histogram and a gauge: captured from its OTLP/HTTP exporter by a local endpoint.
   */
  private static byte[] sdkMetrics() throws Exception {
    try (OtlpCapture capture = new OtlpCapture()) {
      var exporter =
          io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter.builder()
              .setEndpoint(capture.endpoint("metrics"))
              .build();
      var sdk =
          io.opentelemetry.sdk.metrics.SdkMeterProvider.builder()
              .setResource(
                  io.opentelemetry.sdk.resources.Resource.create(
                      io.opentelemetry.api.common.Attributes.builder()
                          .put("service.name", "sdkapp")
                          .put("service.instance.id", "sdk-1")
                          .put("k8s.pod.name", "pod-7")
                          .build()))
              .registerView(
                  io.opentelemetry.sdk.metrics.InstrumentSelector.builder()
                      .setName("sdk.payload")
                      .build(),
                  io.opentelemetry.sdk.metrics.View.builder()
                      .setAggregation(
                          io.opentelemetry.sdk.metrics.Aggregation
                              .base2ExponentialBucketHistogram())
                      .build())
              .registerMetricReader(
                  io.opentelemetry.sdk.metrics.export.PeriodicMetricReader.builder(exporter)
                      .setInterval(java.time.Duration.ofHours(1))
                      .build())
              .build();
      var meter = sdk.get("io.otelstream.sdk-test");
      var attrs =
          io.opentelemetry.api.common.Attributes.builder()
              .put("http.route", "/a")
              .put("2xx.count", "yes")
              .put("ratio", 0.5)
              .build();
      meter.counterBuilder("sdk.requests").setUnit("{request}").build().add(7, attrs);
      meter.upDownCounterBuilder("sdk.queue.depth").setUnit("{item}").build().add(-3, attrs);
      var latency = meter.histogramBuilder("sdk.latency").setUnit("ms").build();
      var payload = meter.histogramBuilder("sdk.payload").setUnit("By").build();
      for (int i = 1; i <= 50; i++) {
        latency.record(i * 3.7, attrs);
        payload.record(i * i * 11.0, attrs);
      }
      meter
          .gaugeBuilder("sdk.cpu.utilization")
          .setUnit("1")
          .buildWithCallback(m -> m.record(0.42, attrs));
      sdk.forceFlush().join(30, TimeUnit.SECONDS);
      // Taken before close(), which exports once more (the gauge's callback always has a value).
      List<byte[]> bodies = capture.bodies("metrics");
      sdk.close();
      assertThat(bodies).as("the SDK's export").hasSize(1);
      return bodies.get(0);
    }
  }

  private static boolean has(Map<String, String> series, String prefix) {
    return series.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /** Every series a Prometheus holds now, as {@code name{labels}} to its value. */
  private static Map<String, String> series(String prometheus) throws Exception {
    JsonNode result =
        JSON.readTree(RemoteWriteReceivers.query(prometheus, "{__name__=~\".+\"}"))
            .path("data")
            .path("result");
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : result) {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      String name = labels.remove("__name__");
      out.put(
          name + labels,
          r.has("histogram")
              ? r.path("histogram").path(1).toString()
              : r.path("value").path(1).asText());
    }
    return out;
  }

  private static KeyValue kv(String k, Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Double d) {
      b.setDoubleValue(d);
    } else if (v instanceof Long l) {
      b.setIntValue(l);
    } else if (v instanceof Boolean bool) {
      b.setBoolValue(bool);
    }
    return KeyValue.newBuilder().setKey(k).setValue(b).build();
  }

  private static Sum.Builder cumulative(boolean monotonic) {
    return Sum.newBuilder()
        .setIsMonotonic(monotonic)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }

  static byte[] metrics(long now) {
    long start = now - 60_000_000_000L;
    NumberDataPoint.Builder point =
        NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(now);
    List<Metric> metrics =
        List.of(
            Metric.newBuilder()
                .setName("app.bytes.sent")
                .setUnit("By")
                .setSum(
                    cumulative(true)
                        .addDataPoints(
                            point
                                .clone()
                                .setAsInt(1200)
                                .addAttributes(kv("2xx.count", "3"))
                                .addAttributes(kv("_private", "p"))
                                .addAttributes(kv("http.route", "/a"))
                                .addAttributes(kv("net.peer", "x"))
                                .addAttributes(kv("net_peer", "y"))
                                .addAttributes(kv("ratio", 1.0))
                                .addAttributes(kv("tiny", 0.00001))
                                .addAttributes(kv("ok", true))
                                .addAttributes(kv("n", 7L))))
                .build(),
            Metric.newBuilder()
                .setName("total.requests")
                .setSum(cumulative(true).addDataPoints(point.clone().setAsInt(5)))
                .build(),
            Metric.newBuilder()
                .setName("requests")
                .setUnit("{request}")
                .setSum(cumulative(true).addDataPoints(point.clone().setAsInt(9)))
                .build(),
            Metric.newBuilder()
                .setName("5xx.errors")
                .setSum(cumulative(true).addDataPoints(point.clone().setAsInt(2)))
                .build(),
            Metric.newBuilder()
                .setName("cpu.utilization")
                .setUnit("1")
                .setGauge(Gauge.newBuilder().addDataPoints(point.clone().setAsDouble(0.25)))
                .build(),
            Metric.newBuilder()
                .setName("queue.fill")
                .setUnit("1")
                .setSum(cumulative(false).addDataPoints(point.clone().setAsDouble(0.5)))
                .build(),
            Metric.newBuilder()
                .setName("throughput")
                .setUnit("By/s")
                .setGauge(Gauge.newBuilder().addDataPoints(point.clone().setAsDouble(1e6)))
                .build(),
            Metric.newBuilder()
                .setName("disk__io..total")
                .setUnit("KiBy")
                .setSum(cumulative(true).addDataPoints(point.clone().setAsInt(64)))
                .build(),
            Metric.newBuilder()
                .setName("http.server.request.duration")
                .setUnit("s")
                .setHistogram(
                    Histogram.newBuilder()
                        .setAggregationTemporality(
                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(
                            HistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(now)
                                .setCount(10)
                                .setSum(3.25)
                                .addAllExplicitBounds(List.of(0.00001, 0.005, 0.25, 2.5))
                                .addAllBucketCounts(List.of(1L, 2L, 3L, 3L, 1L))
                                .addAttributes(kv("http.route", "/a"))))
                .build(),
            Metric.newBuilder()
                .setName("payload")
                .setUnit("By")
                .setExponentialHistogram(
                    ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(
                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(
                            ExponentialHistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(now)
                                .setCount(9)
                                .setSum(42.5)
                                .setScale(3)
                                .setZeroCount(1)
                                .setPositive(
                                    ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(-2)
                                        .addAllBucketCounts(
                                            List.of(1L, 0L, 0L, 0L, 2L, 3L, 0L, 1L)))
                                .setNegative(
                                    ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(1)
                                        .addAllBucketCounts(List.of(1L)))))
                .build(),
            Metric.newBuilder()
                .setName("fine.grained")
                .setUnit("s")
                .setExponentialHistogram(
                    ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(
                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(
                            ExponentialHistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(now)
                                .setCount(6)
                                .setSum(3)
                                .setScale(10)
                                .setPositive(
                                    ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(-5)
                                        .addAllBucketCounts(
                                            List.of(1L, 1L, 1L, 1L, 1L, 0L, 0L, 1L)))))
                .build(),
            Metric.newBuilder()
                .setName("rpc.latency")
                .setUnit("ms")
                .setSummary(
                    Summary.newBuilder()
                        .addDataPoints(
                            SummaryDataPoint.newBuilder()
                                .setStartTimeUnixNano(start)
                                .setTimeUnixNano(now)
                                .setCount(4)
                                .setSum(10)
                                .addQuantileValues(
                                    SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(0.5)
                                        .setValue(2))
                                .addQuantileValues(
                                    SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(0.99)
                                        .setValue(4))))
                .build());
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", "checkout"))
                        .addAttributes(kv("service.namespace", "shop"))
                        .addAttributes(kv("service.instance.id", "i-1"))
                        .addAttributes(kv("host.name", "h1"))
                        .addAttributes(kv("deployment.environment", "prod")))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder().setName("lib").setVersion("1.2"))
                        .addAllMetrics(metrics)))
        .build()
        .toByteArray();
  }
}
