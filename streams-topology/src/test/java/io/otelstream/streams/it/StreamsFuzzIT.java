package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random and mutated records in every streams input topic (null and random keys, null,
 * empty, random and bit-flipped values), then good ones: the app keeps serving (no stream thread
 * dies), dead-letters what it cannot read, and processes every good record after the junk.
 */
class StreamsFuzzIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final int JUNK_TRACES = 600;
  private static final int JUNK_EACH_SIGNAL = 200;

  @Test
  void junkInEveryInputTopicNeitherStopsNorStallsTheApp() throws Exception {
    StreamsAppConfig config =
        StreamsKit.config(
            StreamsKit.yaml(
                kafka,
                "fuzz",
                dir,
                0,
                "{prefix: fz., replication_factor: 1, min_insync_replicas: 1}",
                "decision_wait: 2s\npolicies: [{name: all, type: always_sample}]\n"));
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    Random random = new Random(20261202L);
    List<TraceLoad.Trace> good = TraceLoad.traces(30, 0, 1, 7);
    try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < JUNK_TRACES; i++) {
        byte[] seed = TraceLoad.fragment(TraceLoad.traces(1, 0.5, 1, i).get(0), 0);
        p.send(new ProducerRecord<>(topics.name(Topic.TRACES), key(random), junk(random, seed)));
      }
      for (int i = 0; i < JUNK_EACH_SIGNAL; i++) {
        p.send(
            new ProducerRecord<>(
                topics.name(Topic.METRICS), key(random), junk(random, metrics("m" + i))));
        p.send(
            new ProducerRecord<>(
                topics.name(Topic.LOGS), key(random), junk(random, logs("l" + i))));
      }
      for (TraceLoad.Trace t : good) {
        p.send(
            new ProducerRecord<>(
                topics.name(Topic.TRACES), t.key().getBytes(), TraceLoad.fragment(t, 0)));
      }
      for (int i = 0; i < 5; i++) {
        p.send(
            new ProducerRecord<>(
                topics.name(Topic.METRICS), ("good-m-" + i).getBytes(), metrics("good-m-" + i)));
        p.send(
            new ProducerRecord<>(
                topics.name(Topic.LOGS), ("good-l-" + i).getBytes(), logs("good-l-" + i)));
      }
      p.flush();
    }
    try (StreamsApp app = StreamsApp.start(config)) {
      Set<String> goodKeys = good.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
      TraceLoad.awaitSlowly(
          () -> keys(topics.name(Topic.TRACES_SAMPLED)).containsAll(goodKeys), 120);
      TraceLoad.awaitSlowly(
          () ->
              metricNames(topics.name(Topic.METRICS_PROCESSED))
                      .containsAll(List.of("good-m-0", "good-m-4"))
                  && keys(topics.name(Topic.LOGS_PROCESSED))
                      .containsAll(List.of("good-l-0", "good-l-4")),
          120);
      assertThat(StreamsKit.metric(app.adminPort(), "otelstream_streams_deadletter_records_total"))
          .as("records dead-lettered")
          .isPositive();
      String live = get("http://localhost:" + app.adminPort() + "/health/live");
      assertThat(live).contains("\"threadFailures\":0");
      assertThat(app.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    }
  }

  /** Metric names in a topic's committed records (the aggregation stage re-keys its output). */
  private static Set<String> metricNames(String topic) {
    Set<String> names = new java.util.HashSet<>();
    for (var r : kafka.readAll(topic)) {
      try {
        ExportMetricsServiceRequest.parseFrom(r.value())
            .getResourceMetricsList()
            .forEach(
                rm ->
                    rm.getScopeMetricsList()
                        .forEach(sm -> sm.getMetricsList().forEach(m -> names.add(m.getName()))));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("the processed topic holds an undecodable record", e);
      }
    }
    return names;
  }

  private static Set<String> keys(String topic) {
    return kafka.readAll(topic).stream()
        .filter(r -> r.key() != null)
        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
        .collect(Collectors.toSet());
  }

  private static byte[] key(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> {
        byte[] k = new byte[random.nextInt(40)];
        random.nextBytes(k);
        yield k;
      }
      case 2 -> "not-a-trace-key".getBytes(StandardCharsets.UTF_8);
      default -> "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    };
  }

  private static byte[] junk(Random random, byte[] seed) {
    byte[] b = seed.clone();
    switch (random.nextInt(6)) {
      case 0 -> {
        return null;
      }
      case 1 -> {
        return new byte[0];
      }
      case 2 -> {
        byte[] r = new byte[random.nextInt(512)];
        random.nextBytes(r);
        return r;
      }
      case 3 -> {
        return java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
      }
      default -> {
        for (int n = 1 + random.nextInt(6); n > 0; n--) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      }
    }
  }

  private static byte[] metrics(String name) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName(name)
                                .setGauge(
                                    Gauge.newBuilder()
                                        .addDataPoints(
                                            NumberDataPoint.newBuilder().setAsDouble(1))))))
        .build()
        .toByteArray();
  }

  private static byte[] logs(String body) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .addLogRecords(
                            LogRecord.newBuilder()
                                .setBody(AnyValue.newBuilder().setStringValue(body)))))
        .build()
        .toByteArray();
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
