package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Collector processor configuration, pasted as it is into the streams configuration with
 * a pipeline per signal, on a real broker: request_id and trace_id deleted and user_id hashed
 * (SHA-256, as the Collector's attributes processor) on spans before tail sampling, on data points
 * and on log records; health-check logs dropped and counted per processor; the histogram kept (the
 * seed's {@code .*_bucket} pattern matches no OTLP metric name, in the Collector as here).
 */
class ProcessingIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  @Test
  void theSeedsProcessorConfigurationPastedAsItIs() throws Exception {
    String seed =
        new String(
            ProcessingIT.class
                .getResourceAsStream("/seed/collector-processors.yaml")
                .readAllBytes(),
            StandardCharsets.UTF_8);
    String yaml =
        StreamsKit.yaml(
                kafka,
                "processing",
                dir,
                0,
                "{prefix: pr., replication_factor: 1, min_insync_replicas: 1}",
                "decision_wait: 1s\npolicies: [{name: all, type: always_sample}]\n")
            + "metrics:\n  aggregation: {interval: 500ms}\n"
            + seed
            + "\npipelines:\n"
            + "  traces: {processors: [attributes]}\n"
            + "  metrics: {processors: [attributes, filter/metrics]}\n"
            + "  logs: {processors: [attributes, filter/logs]}\n";
    Files.writeString(dir.resolve("streams.yaml"), yaml);
    StreamsAppConfig config = StreamsKit.config(yaml);
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    TraceLoad.Trace trace = TraceLoad.traces(1, 0, 1, 42).get(0);
    try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(kafka.bootstrapServers())) {
      p.send(
          new ProducerRecord<>(
              topics.name(Topic.TRACES), trace.key().getBytes(), spans(trace.id())));
      p.send(new ProducerRecord<>(topics.name(Topic.METRICS), "m".getBytes(), histogram()));
      p.send(
          new ProducerRecord<>(
              topics.name(Topic.LOGS),
              "l".getBytes(),
              logs("health check ok", "GET /healthz 200", "GET /readyz", "order placed")));
      p.flush();
    }
    try (StreamsApp app = StreamsApp.start(config)) {
      TraceLoad.awaitSlowly(
          () ->
              !kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).isEmpty()
                  && !kafka.readAll(topics.name(Topic.LOGS_PROCESSED)).isEmpty()
                  && !kafka.readAll(topics.name(Topic.METRICS_PROCESSED)).isEmpty(),
          120);

      List<Span> sampled = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topics.name(Topic.TRACES_SAMPLED))) {
        ExportTraceServiceRequest.parseFrom(r.value())
            .getResourceSpansList()
            .forEach(rs -> rs.getScopeSpansList().forEach(ss -> sampled.addAll(ss.getSpansList())));
      }
      assertThat(sampled).hasSize(1);
      assertThat(attributes(sampled.get(0).getAttributesList()))
          .isEqualTo(Map.of("user_id", sha256("alice"), "http.route", "/checkout"));

      List<LogRecord> logs = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topics.name(Topic.LOGS_PROCESSED))) {
        ExportLogsServiceRequest.parseFrom(r.value())
            .getResourceLogsList()
            .forEach(
                rl -> rl.getScopeLogsList().forEach(sl -> logs.addAll(sl.getLogRecordsList())));
      }
      assertThat(logs)
          .extracting(l -> l.getBody().getStringValue())
          .containsExactly("order placed");
      assertThat(attributes(logs.get(0).getAttributesList()))
          .isEqualTo(Map.of("user_id", sha256("alice")));
      assertThat(
              StreamsKit.metric(
                  app.adminPort(), "otelstream_streams_processor_dropped_items_total"))
          .as("log records the filter/logs processor removed")
          .isEqualTo(3);

      List<Metric> metrics = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topics.name(Topic.METRICS_PROCESSED))) {
        ExportMetricsServiceRequest.parseFrom(r.value())
            .getResourceMetricsList()
            .forEach(
                rm -> rm.getScopeMetricsList().forEach(sm -> metrics.addAll(sm.getMetricsList())));
      }
      assertThat(metrics).extracting(Metric::getName).contains("http.server.request.duration");
      HistogramDataPoint point = metrics.get(0).getHistogram().getDataPoints(0);
      assertThat(attributes(point.getAttributesList()))
          .isEqualTo(Map.of("user_id", sha256("alice"), "http.route", "/checkout"));
      assertThat(point.getCount()).isEqualTo(3);
    }
  }

  private static Map<String, String> attributes(List<KeyValue> kvs) {
    return kvs.stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<KeyValue> requestAttributes() {
    return List.of(
        kv("request_id", "r-1"),
        kv("trace_id", "t-1"),
        kv("user_id", "alice"),
        kv("http.route", "/checkout"));
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(kv("service.name", "shop")).build();
  }

  private static byte[] spans(byte[] traceId) {
    long now = System.currentTimeMillis() * 1_000_000L;
    Span span =
        Span.newBuilder()
            .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("POST /checkout")
            .setStartTimeUnixNano(now)
            .setEndTimeUnixNano(now + 1_000_000)
            .addAllAttributes(requestAttributes())
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource())
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build()
        .toByteArray();
  }

  private static byte[] histogram() {
    long now = System.currentTimeMillis() * 1_000_000L;
    Metric m =
        Metric.newBuilder()
            .setName("http.server.request.duration")
            .setUnit("s")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setStartTimeUnixNano(now - 1_000_000_000L)
                            .setTimeUnixNano(now)
                            .setCount(3)
                            .setSum(0.3)
                            .addExplicitBounds(0.25)
                            .addBucketCounts(2)
                            .addBucketCounts(1)
                            .addAllAttributes(requestAttributes())))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource())
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(m)))
        .build()
        .toByteArray();
  }

  private static byte[] logs(String... bodies) {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    for (String b : bodies) {
      sl.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
              .setBody(AnyValue.newBuilder().setStringValue(b))
              .addAttributes(kv("request_id", "r-1"))
              .addAttributes(kv("user_id", "alice")));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(sl))
        .build()
        .toByteArray();
  }
}
