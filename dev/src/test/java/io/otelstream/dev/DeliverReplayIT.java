package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.replay.DeliverReplay;
import io.otelstream.replay.ReplayException;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import io.otelstream.topics.TopicsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay deliver against a real Connect worker running the file sink: a dry run changes no offset;
 * a replay re-writes exactly the records at or after the time, and the connector runs again.
 */
class DeliverReplayIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  @Test
  void movesTheFileSinkBackToATime() throws Exception {
    TopicCatalog topics =
        new TopicCatalog(
            new io.otelstream.config.ConfigLoader(Map.of())
                .parse(
                    "{prefix: d., replication_factor: 1, min_insync_replicas: 1}",
                    TopicsConfig.class,
                    "topics.yaml"));
    try (var admin = kafka.admin()) {
      new TopicReconciler(admin, topics).apply(false);
    }
    String topic = topics.name(Topic.LOGS_PROCESSED);
    long old = Instant.now().minusSeconds(600).toEpochMilli();
    long recent = Instant.now().minusSeconds(300).toEpochMilli();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 60; i++) {
        p.send(new ProducerRecord<>(topic, null, i < 30 ? old : recent, null, logs("line-" + i)));
      }
      p.flush();
    }
    int port = io.otelstream.kafka.FreePorts.next();
    Path files = dir.resolve("files");
    try (DevConnect connect =
        new DevConnect(kafka.bootstrapServers(), port, 0, topics, files, DevSinks.files())) {
      Path out = files.resolve("logs.jsonl");
      awaitLines(out, 60);
      // The sinks' metrics, in Prometheus format on the worker's metrics port.
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  sinkMetric(connect, "otelstream_sink_records_sent_total", "otelstream-logs")
                      >= 60);
      assertThat(scrape(connect))
          .contains("otelstream_sink_batches_sent_total{", "signal=\"logs\"")
          // the names the sink alerts select
          .contains(
              "kafka_connect_consumer_fetch_manager_metrics_records_lag_max{",
              "client_id=\"connector-consumer-otelstream-logs-0\"",
              "kafka_connect_connect_worker_metrics_connector_failed_task_count{");
      DeliverReplay replay = new DeliverReplay(connect.restUrl(), "otelstream-logs");
      Map<String, Object> bootstrap = Map.of("bootstrap.servers", kafka.bootstrapServers());
      Instant from = Instant.ofEpochMilli(recent);
      // The sink commits its offsets a second after delivering.
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  replay.plan(bootstrap, from, Instant.now()).stream()
                          .mapToLong(m -> m.current() == null ? 0 : m.current())
                          .sum()
                      == 60);
      List<DeliverReplay.Move> moves = replay.plan(bootstrap, from, Instant.now());
      assertThat(moves.stream().mapToLong(DeliverReplay.Move::records).sum()).isEqualTo(30);
      // A dry run is only the plan: nothing moved.
      assertThat(replay.plan(bootstrap, from, Instant.now())).isEqualTo(moves);

      ByteArrayOutputStream log = new ByteArrayOutputStream();
      replay.apply(moves, new PrintStream(log, true));
      assertThat(log.toString()).contains("stopped otelstream-logs", "resumed otelstream-logs");
      awaitLines(out, 90);
      List<String> lines = Files.readAllLines(out);
      List<String> again = lines.subList(60, 90);
      for (int i = 30; i < 60; i++) {
        String body = "line-" + i;
        assertThat(again).anyMatch(l -> l.contains("\"" + body + "\""));
      }
      assertThat(again).noneMatch(l -> l.contains("\"line-29\"") || l.contains("\"line-0\""));
      Thread.sleep(2000); // nothing more than the window arrives
      assertThat(Files.readAllLines(out)).hasSize(90);

      assertThatThrownBy(
              () ->
                  new DeliverReplay(connect.restUrl(), "nosuch")
                      .plan(bootstrap, from, Instant.now()))
          .isInstanceOf(ReplayException.class)
          .hasMessageContaining("has no connector nosuch");
      assertThatThrownBy(
              () -> replay.plan(bootstrap, Instant.now().plusSeconds(3600), Instant.now()))
          .isInstanceOf(ReplayException.class)
          .hasMessageContaining("in the future");
    }
  }

  private static String scrape(DevConnect connect) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(connect.metricsUrl())).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The sum of a metric's samples for one connector. */
  private static double sinkMetric(DevConnect connect, String name, String connector)
      throws Exception {
    return scrape(connect)
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains("connector=\"" + connector + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static void awaitLines(Path file, int n) {
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> Files.exists(file) && Files.readAllLines(file).size() >= n);
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
}
