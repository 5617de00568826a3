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
import io.otelstream.schemas.Headers;
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
import java.util.Map;
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
 * dies), dead-letters what it cannot read, and processes every good record after the junk. Every
 * record is accounted for, read back from Kafka and decoded here: exactly the unreadable logs and
 * metrics records are dead-lettered (each once), every log record and span of the others reaches
 * the output (or a drop counter), every metric point is counted.
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
    Sent sent = new Sent();
    try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < JUNK_TRACES; i++) {
        byte[] seed = TraceLoad.fragment(TraceLoad.traces(1, 0.5, 1, i).get(0), 0);
        sent.send(p, topics.name(Topic.TRACES), key(random), junk(random, seed));
      }
      for (int i = 0; i < JUNK_EACH_SIGNAL; i++) {
        sent.send(p, topics.name(Topic.METRICS), key(random), junk(random, metrics("m" + i)));
        sent.send(p, topics.name(Topic.LOGS), key(random), junk(random, logs("l" + i)));
      }
      for (TraceLoad.Trace t : good) {
        sent.send(p, topics.name(Topic.TRACES), t.key().getBytes(), TraceLoad.fragment(t, 0));
      }
      for (int i = 0; i < 5; i++) {
        sent.send(
            p, topics.name(Topic.METRICS), ("good-m-" + i).getBytes(), metrics("good-m-" + i));
        sent.send(p, topics.name(Topic.LOGS), ("good-l-" + i).getBytes(), logs("good-l-" + i));
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
      String live = get("http://localhost:" + app.adminPort() + "/health/live");
      assertThat(live).contains("\"threadFailures\":0");
      assertThat(app.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);

      // Every record is accounted for: dead-lettered, or its items processed (or counted).
      Map<String, Set<Long>> dead = deadLettered(topics.name(Topic.DEADLETTER));
      String logs = topics.name(Topic.LOGS);
      assertThat(dead.getOrDefault(logs, Set.of()))
          .as("logs: exactly the records that are no OTLP logs export are dead-lettered")
          .isEqualTo(sent.offsets(logs, v -> logRecords(v) < 0));
      long logsIn =
          sent.values(logs).stream().mapToLong(StreamsFuzzIT::logRecords).filter(n -> n > 0).sum();
      TraceLoad.awaitSlowly(() -> countLogRecords(topics.name(Topic.LOGS_PROCESSED)) == logsIn, 30);

      String metricsTopic = topics.name(Topic.METRICS);
      assertThat(dead.getOrDefault(metricsTopic, Set.of()))
          .as("metrics: exactly the records that are no OTLP metrics export are dead-lettered")
          .isEqualTo(sent.offsets(metricsTopic, v -> points(v) < 0));
      long pointsIn =
          sent.values(metricsTopic).stream()
              .mapToLong(StreamsFuzzIT::points)
              .filter(n -> n > 0)
              .sum();
      assertThat(
              StreamsKit.metric(
                      app.adminPort(),
                      "otelstream_streams_items_total{outcome=\"kept\",signal=\"metrics\"")
                  + StreamsKit.metric(
                      app.adminPort(),
                      "otelstream_streams_items_total{outcome=\"dropped\",signal=\"metrics\""))
          .as("metrics: every point of every readable record processed (kept or dropped, counted)")
          .isEqualTo(pointsIn);

      String traces = topics.name(Topic.TRACES);
      Set<Long> tracesDead = dead.getOrDefault(traces, Set.of());
      assertThat(tracesDead)
          .as("traces: every record that is no OTLP traces export is dead-lettered")
          .containsAll(sent.offsets(traces, v -> spans(v) < 0));
      long spansIn =
          sent.records(traces).entrySet().stream()
              .filter(e -> !tracesDead.contains(e.getKey()))
              .mapToLong(e -> Math.max(0, spans(e.getValue())))
              .sum();
      double spansDropped =
          StreamsKit.metric(app.adminPort(), "otelstream_streams_spans_dropped_total");
      TraceLoad.awaitSlowly(
          () -> countSpans(topics.name(Topic.TRACES_SAMPLED)) + spansDropped == spansIn, 30);
      assertThat(StreamsKit.metric(app.adminPort(), "otelstream_streams_deadletter_records_total"))
          .as("every dead letter counted")
          .isEqualTo(dead.values().stream().mapToInt(Set::size).sum());
    }
  }

  /** What was produced, by topic and offset. */
  private static final class Sent {
    private final Map<String, Map<Long, byte[]>> byTopic = new java.util.HashMap<>();
    private final List<
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>>
        acks = new java.util.ArrayList<>();
    private final List<byte[]> values = new java.util.ArrayList<>();

    void send(KafkaProducer<byte[], byte[]> p, String topic, byte[] key, byte[] value) {
      acks.add(p.send(new ProducerRecord<>(topic, 0, key, value)));
      values.add(value);
    }

    private void resolve() {
      if (!acks.isEmpty()) {
        for (int i = 0; i < acks.size(); i++) {
          try {
            var m = acks.get(i).get();
            byTopic
                .computeIfAbsent(m.topic(), t -> new java.util.TreeMap<>())
                .put(m.offset(), values.get(i));
          } catch (Exception e) {
            throw new AssertionError("a record was not acknowledged", e);
          }
        }
        acks.clear();
      }
    }

    Map<Long, byte[]> records(String topic) {
      resolve();
      return byTopic.getOrDefault(topic, Map.of());
    }

    List<byte[]> values(String topic) {
      return List.copyOf(
          records(topic).values().stream().map(v -> v == null ? new byte[] {} : v).toList());
    }

    Set<Long> offsets(String topic, java.util.function.Predicate<byte[]> which) {
      return records(topic).entrySet().stream()
          .filter(e -> which.test(e.getValue()))
          .map(Map.Entry::getKey)
          .collect(Collectors.toSet());
    }
  }

  /** Input offsets of dead letters, by origin topic (from their headers). */
  private static Map<String, Set<Long>> deadLettered(String topic) {
    Map<String, Set<Long>> out = new java.util.HashMap<>();
    for (var r : kafka.readAll(topic)) {
      String origin =
          new String(
              r.headers().lastHeader(Headers.DEADLETTER_TOPIC).value(), StandardCharsets.UTF_8);
      long offset =
          Long.parseLong(
              new String(
                  r.headers().lastHeader(Headers.DEADLETTER_OFFSET).value(),
                  StandardCharsets.UTF_8));
      assertThat(out.computeIfAbsent(origin, t -> new java.util.HashSet<>()).add(offset))
          .as("dead-lettered once: " + origin + "@" + offset)
          .isTrue();
    }
    return out;
  }

  /** Log records in an export, or -1 when the value is no logs export. */
  private static long logRecords(byte[] value) {
    try {
      return ExportLogsServiceRequest.parseFrom(value).getResourceLogsList().stream()
          .flatMap(rl -> rl.getScopeLogsList().stream())
          .mapToLong(sl -> sl.getLogRecordsCount())
          .sum();
    } catch (com.google.protobuf.InvalidProtocolBufferException | NullPointerException e) {
      return -1;
    }
  }

  /** Data points of every kind in an export, or -1 when the value is no metrics export. */
  private static long points(byte[] value) {
    try {
      return ExportMetricsServiceRequest.parseFrom(value).getResourceMetricsList().stream()
          .flatMap(rm -> rm.getScopeMetricsList().stream())
          .flatMap(sm -> sm.getMetricsList().stream())
          .mapToLong(
              m ->
                  m.getGauge().getDataPointsCount()
                      + m.getSum().getDataPointsCount()
                      + m.getHistogram().getDataPointsCount()
                      + m.getExponentialHistogram().getDataPointsCount()
                      + m.getSummary().getDataPointsCount())
          .sum();
    } catch (com.google.protobuf.InvalidProtocolBufferException | NullPointerException e) {
      return -1;
    }
  }

  /** Spans in an export, or -1 when the value is no traces export. */
  private static long spans(byte[] value) {
    try {
      return io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(value)
          .getResourceSpansList()
          .stream()
          .flatMap(rs -> rs.getScopeSpansList().stream())
          .mapToLong(ss -> ss.getSpansCount())
          .sum();
    } catch (com.google.protobuf.InvalidProtocolBufferException | NullPointerException e) {
      return -1;
    }
  }

  private static long countLogRecords(String topic) {
    return kafka.readAll(topic).stream().mapToLong(r -> Math.max(0, logRecords(r.value()))).sum();
  }

  private static long countSpans(String topic) {
    return kafka.readAll(topic).stream().mapToLong(r -> Math.max(0, spans(r.value()))).sum();
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
