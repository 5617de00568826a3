package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The Mimir sink's OTLP mode ({@code mimir.protocol=otlp}: the backend translates) against a real,
 * independent OTLP metrics receiver, a current VictoriaMetrics, read back through its Prometheus
 * query API: counters, gauges, up-down sums and histograms arrive with their values and labels.
 */
class VictoriaMetricsOtlpIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void otlpMetricsAreStoredAndQueryable() throws Exception {
    int port = io.otelstream.kafka.FreePorts.next();
    String base = "http://127.0.0.1:" + port;
    Process victoria =
        TestReceivers.start(
            "victoria-metrics",
            dir.resolve("victoria-metrics.log"),
            base + "/health",
            "-httpListenAddr=127.0.0.1:" + port,
            "-storageDataPath=" + dir.resolve("data"),
            "-opentelemetry.usePrometheusNaming",
            "-search.latencyOffset=0s",
            "-search.disableCache");
    try (EmbeddedConnect connect =
        EmbeddedConnect.start(kafka.bootstrapServers(), "victoria-otlp-it")) {
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic("vm-metrics", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        p.send(
            new ProducerRecord<>(
                "vm-metrics",
                "r".getBytes(),
                MimirSinkIT.metrics(System.currentTimeMillis() * 1_000_000L)));
      }
      connect.put(
          "/connectors/to-victoria-otlp/config",
          """
          {"connector.class": "io.otelstream.sinks.mimir.MimirSinkConnector", "topics": "vm-metrics",
           "otlp.signal": "metrics", "mimir.protocol": "otlp",
           "backend.url": "%s/opentelemetry/v1/metrics", "batch.linger.ms": "100"}
          """
              .formatted(base));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .pollInterval(500, TimeUnit.MILLISECONDS)
          .until(
              () ->
                  RemoteWriteReceivers.query(base, "http_server_requests_total")
                      .contains("\"42\""));
      assertThat(RemoteWriteReceivers.query(base, "http_server_requests_total"))
          .contains("\"http_route\":\"/a\"")
          .contains("\"service_name\":\"checkout\"");
      assertThat(RemoteWriteReceivers.query(base, "process_memory_usage_bytes"))
          .contains("\"1024\"");
      assertThat(RemoteWriteReceivers.query(base, "queue_size")).contains("\"7\"");
      assertThat(RemoteWriteReceivers.query(base, "http_server_duration_seconds_bucket{le=\"1\"}"))
          .contains("\"3\"");
      assertThat(RemoteWriteReceivers.query(base, "http_server_duration_seconds_count"))
          .contains("\"6\"");
      assertThat(RemoteWriteReceivers.query(base, "http_server_duration_seconds_sum"))
          .contains("\"5.5\"");
    } finally {
      victoria.destroy();
      victoria.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
