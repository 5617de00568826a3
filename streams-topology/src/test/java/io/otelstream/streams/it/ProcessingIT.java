package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
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
            // and a redaction of card numbers, which must never reach a sink
            + "  redaction/cards:\n"
            + "    allow_all_keys: true\n"
            + "    blocked_values: [\"4[0-9]{12}(?:[0-9]{3})?\"]\n"
            + "\npipelines:\n"
            + "  traces: {processors: [attributes, redaction/cards]}\n"
            + "  metrics: {processors: [attributes, filter/metrics]}\n"
            + "  logs: {processors: [attributes, filter/logs, redaction/cards]}\n";
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
              logs(
                  "health check ok",
                  "GET /healthz 200",
                  "GET /readyz",
                  "order placed",
                  "charged card " + CARD)));
      p.flush();
    }
    try (StreamsApp app = StreamsApp.start(config)) {
      TraceLoad.awaitSlowly(
          () ->
              !kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).isEmpty()
                  && !kafka.readAll(topics.name(Topic.LOGS_PROCESSED)).isEmpty()
                  && !kafka.readAll(topics.name(Topic.METRICS_PROCESSED)).isEmpty(),
          120);

      List<Span> sampled = Otlp.spansIn(kafka.readAll(topics.name(Topic.TRACES_SAMPLED)));
      assertThat(sampled).hasSize(1);
      assertThat(attributes(sampled.get(0).getAttributesList()))
          .isEqualTo(
              Map.of(
                  "user_id",
                  sha256("alice"),
                  "http.route",
                  "/checkout",
                  "payment.note",
                  "card ****"));

      List<LogRecord> logs = Otlp.logsIn(kafka.readAll(topics.name(Topic.LOGS_PROCESSED)));
      assertThat(logs)
          .extracting(l -> l.getBody().getStringValue())
          .containsExactly("order placed", "charged card ****");
      assertThat(attributes(logs.get(0).getAttributesList()))
          .isEqualTo(Map.of("user_id", sha256("alice")));
      assertThat(
              StreamsKit.metric(
                  app.adminPort(), "otelstream_streams_processor_dropped_items_total"))
          .as("log records the filter/logs processor removed")
          .isEqualTo(3);
      assertThat(
              StreamsKit.metric(
                  app.adminPort(), "otelstream_streams_processor_redacted_values_total"))
          .as("card numbers masked: one span attribute, one log body")
          .isEqualTo(2);
      for (Topic t : List.of(Topic.TRACES_SAMPLED, Topic.LOGS_PROCESSED, Topic.METRICS_PROCESSED)) {
        for (var r : kafka.readAll(topics.name(t))) {
          assertThat(new String(r.value(), StandardCharsets.ISO_8859_1))
              .as("what the sinks read from " + t)
              .doesNotContain(CARD);
        }
      }

      List<Metric> metrics = Otlp.metricsIn(kafka.readAll(topics.name(Topic.METRICS_PROCESSED)));
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

  private static final String CARD = "4111111111111111";

  private static List<KeyValue> requestAttributes() {
    return List.of(
        Otlp.kv("request_id", "r-1"),
        Otlp.kv("trace_id", "t-1"),
        Otlp.kv("user_id", "alice"),
        Otlp.kv("http.route", "/checkout"));
  }

  private static byte[] spans(byte[] traceId) {
    return Otlp.traces(
        Otlp.service("shop"),
        Otlp.scope("lib", "1"),
        List.of(
            Otlp.span(traceId, 1, "POST /checkout", Span.SpanKind.SPAN_KIND_SERVER)
                .addAllAttributes(requestAttributes())
                .addAttributes(Otlp.kv("payment.note", "card " + CARD))
                .build()));
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
    return Otlp.metrics(Otlp.service("shop"), List.of(m));
  }

  private static byte[] logs(String... bodies) {
    List<LogRecord> records = new ArrayList<>();
    for (String b : bodies) {
      records.add(
          LogRecord.newBuilder()
              .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
              .setBody(AnyValue.newBuilder().setStringValue(b))
              .addAttributes(Otlp.kv("request_id", "r-1"))
              .addAttributes(Otlp.kv("user_id", "alice"))
              .build());
    }
    return Otlp.logs(Otlp.service("shop"), Otlp.scope("lib", "1"), records);
  }
}
