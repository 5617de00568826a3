package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The Loki sink (push API: protobuf + snappy) against a real, independent implementation of that
 * API, VictoriaLogs, reading the lines back through its LogsQL query API: what the test double
 * accepts, a real receiver stores, with the stream labels the sink chose.
 */
class VictoriaLogsIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void linesPushedByTheLokiSinkAreStoredWithTheirStreamLabels() throws Exception {
    int port = io.otelstream.kafka.FreePorts.next();
    String base = "http://127.0.0.1:" + port;
    Process victoria =
        TestReceivers.start(
            "victoria-logs",
            dir.resolve("victoria-logs.log"),
            base + "/health",
            "-httpListenAddr=127.0.0.1:" + port,
            "-storageDataPath=" + dir.resolve("data"));
    try (EmbeddedConnect connect =
        EmbeddedConnect.start(kafka.bootstrapServers(), "victoria-logs-it")) {
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic("vl-logs", 2, (short) 1))).all().get();
      }
      long now = System.currentTimeMillis() * 1_000_000L;
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        p.send(new ProducerRecord<>("vl-logs", "a".getBytes(), logs("checkout", 5, now)));
        p.send(new ProducerRecord<>("vl-logs", "b".getBytes(), logs("cart", 3, now)));
      }
      connect.put(
          "/connectors/to-victoria-logs/config",
          """
          {"connector.class": "io.otelstream.sinks.loki.LokiSinkConnector", "topics": "vl-logs",
           "otlp.signal": "logs", "backend.url": "%s/insert/loki/api/v1/push",
           "batch.linger.ms": "100"}
          """
              .formatted(base));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .pollInterval(500, TimeUnit.MILLISECONDS)
          .until(() -> query(base, "*").size() == 8);
      List<String> checkout = query(base, "service_name:checkout");
      assertThat(checkout).hasSize(5);
      assertThat(checkout)
          .allMatch(l -> l.contains("\"_msg\":\"checkout line "))
          .allMatch(l -> l.contains("service_name=\\\"checkout\\\""))
          .allMatch(l -> l.contains("deployment_environment=\\\"prod\\\""));
      // Not a label (host.name is not on the short list): the stream holds the two labels only.
      assertThat(checkout).noneMatch(l -> l.contains("host_name=\\\""));
      assertThat(query(base, "service_name:cart")).hasSize(3);
    } finally {
      victoria.destroy();
      victoria.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static byte[] logs(String service, int n, long timeNanos) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < n; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(timeNanos + i)
              .setBody(AnyValue.newBuilder().setStringValue(service + " line " + i)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", service))
                        .addAttributes(kv("deployment.environment", "prod"))
                        .addAttributes(kv("host.name", "h-1")))
                .addScopeLogs(scope))
        .build()
        .toByteArray();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  /** The JSON lines of a LogsQL query. */
  private static List<String> query(String base, String logsql) throws Exception {
    String body =
        get(base
                + "/select/logsql/query?query="
                + URLEncoder.encode(logsql, StandardCharsets.UTF_8))
            .body();
    return body.lines().filter(l -> !l.isBlank()).toList();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
