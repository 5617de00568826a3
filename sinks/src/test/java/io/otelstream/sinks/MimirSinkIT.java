package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The Mimir sink's remote write against Debian's real Prometheus (remote-write receiver) and
 * VictoriaMetrics; PromQL over their HTTP APIs sees the translated series.
 */
class MimirSinkIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  /** OTLP metrics of every kind the translations cover, shared with VictoriaMetricsOtlpIT. */
  static byte[] metrics(long nowNanos) {
    NumberDataPoint.Builder point = NumberDataPoint.newBuilder().setTimeUnixNano(nowNanos);
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", "checkout"))
                        .addAttributes(kv("service.namespace", "shop"))
                        .addAttributes(kv("service.instance.id", "i-1"))
                        .addAttributes(kv("host.name", "h1")))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder().setName("lib").setVersion("1.2"))
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("http.server.requests")
                                .setUnit("{request}")
                                .setSum(
                                    Sum.newBuilder()
                                        .setIsMonotonic(true)
                                        .setAggregationTemporality(
                                            AggregationTemporality
                                                .AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .addDataPoints(
                                            point
                                                .clone()
                                                .setAsInt(42)
                                                .addAttributes(kv("http.route", "/a")))))
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("process.memory.usage")
                                .setUnit("By")
                                .setGauge(
                                    Gauge.newBuilder()
                                        .addDataPoints(point.clone().setAsDouble(1024))))
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("queue.size")
                                .setUnit("{item}")
                                .setSum(
                                    Sum.newBuilder()
                                        .setIsMonotonic(false)
                                        .setAggregationTemporality(
                                            AggregationTemporality
                                                .AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .addDataPoints(point.clone().setAsInt(7))))
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("http.server.duration")
                                .setUnit("s")
                                .setHistogram(
                                    Histogram.newBuilder()
                                        .setAggregationTemporality(
                                            AggregationTemporality
                                                .AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .addDataPoints(
                                            HistogramDataPoint.newBuilder()
                                                .setTimeUnixNano(nowNanos)
                                                .setCount(6)
                                                .setSum(5.5)
                                                .addExplicitBounds(0.1)
                                                .addExplicitBounds(1)
                                                .addBucketCounts(1)
                                                .addBucketCounts(2)
                                                .addBucketCounts(3))))
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("delta.requests")
                                .setSum(
                                    Sum.newBuilder()
                                        .setIsMonotonic(true)
                                        .setAggregationTemporality(
                                            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                        .addDataPoints(point.clone().setAsInt(1))))))
        .build()
        .toByteArray();
  }

  private static String connector(String name, String url) {
    return """
        {"connector.class": "io.otelstream.sinks.mimir.MimirSinkConnector", "topics": "metrics-processed",
         "otlp.signal": "metrics", "backend.url": "%s", "batch.linger.ms": "100"}
        """
        .formatted(url);
  }

  @Test
  void prometheusAndVictoriaMetricsSeeTheTranslatedSeries() throws Exception {
    try (RemoteWriteReceivers receivers = new RemoteWriteReceivers(dir);
        EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), "mimir-it")) {
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic("metrics-processed", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        p.send(
            new ProducerRecord<>(
                "metrics-processed",
                "r".getBytes(),
                metrics(System.currentTimeMillis() * 1_000_000L)));
      }
      connect.put(
          "/connectors/to-prometheus/config",
          connector("p", receivers.prometheus + "/api/v1/write"));
      connect.put(
          "/connectors/to-victoria/config", connector("v", receivers.victoria + "/api/v1/write"));
      for (String base : List.of(receivers.prometheus, receivers.victoria)) {
        Awaitility.await()
            .atMost(60, TimeUnit.SECONDS)
            .pollInterval(500, TimeUnit.MILLISECONDS)
            .until(
                () ->
                    RemoteWriteReceivers.query(base, "http_server_requests_total")
                        .contains("\"42\""));
        String counter = RemoteWriteReceivers.query(base, "http_server_requests_total");
        assertThat(counter)
            .contains("\"job\":\"shop/checkout\"")
            .contains("\"instance\":\"i-1\"")
            .contains("\"http_route\":\"/a\"")
            .contains("\"otel_scope_name\":\"lib\"")
            .contains("\"otel_scope_version\":\"1.2\"")
            .doesNotContain("host_name");
        assertThat(RemoteWriteReceivers.query(base, "target_info"))
            .contains("\"host_name\":\"h1\"")
            .contains("\"job\":\"shop/checkout\"");
        assertThat(RemoteWriteReceivers.query(base, "process_memory_usage_bytes"))
            .contains("\"1024\"");
        assertThat(RemoteWriteReceivers.query(base, "queue_size")).contains("\"7\"");
        assertThat(
                RemoteWriteReceivers.query(base, "http_server_duration_seconds_bucket{le=\"1\"}"))
            .contains("\"3\"");
        assertThat(
                RemoteWriteReceivers.query(
                    base, "http_server_duration_seconds_bucket{le=\"+Inf\"}"))
            .contains("\"6\"");
        assertThat(RemoteWriteReceivers.query(base, "http_server_duration_seconds_sum"))
            .contains("\"5.5\"");
        assertThat(RemoteWriteReceivers.query(base, "http_server_duration_seconds_count"))
            .contains("\"6\"");
        assertThat(RemoteWriteReceivers.query(base, "delta_requests_total"))
            .contains("\"result\":[]");
      }
    }
  }
}
