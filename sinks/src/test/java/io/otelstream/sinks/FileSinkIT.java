package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.OtlpJson;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The file sink in a real Connect worker (distributed mode, in-process) against a real broker. */
class FileSinkIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir static Path dir;
  private static EmbeddedConnect connect;

  @BeforeAll
  static void startConnect() throws Exception {
    connect = EmbeddedConnect.start(kafka.bootstrapServers(), "file-it");
  }

  @AfterAll
  static void stopConnect() {
    connect.close();
  }

  private static HttpResponse<String> put(String path, String json) throws Exception {
    return connect.put(path, json);
  }

  private static byte[] trace(int i) {
    byte[] id = ByteBuffer.allocate(16).putLong(0xabcdL).putLong(i).array();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setTraceId(ByteString.copyFrom(id))
                                .setSpanId(
                                    ByteString.copyFrom(
                                        ByteBuffer.allocate(8).putLong(i + 1).array()))
                                .setName("op-" + i))))
        .build()
        .toByteArray();
  }

  @Test
  void writesOtlpJsonLinesAndDeadLettersGarbage() throws Exception {
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic("sampled", 3, (short) 1))).all().get();
    }
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 100; i++) {
        p.send(new ProducerRecord<>("sampled", ("k" + i).getBytes(), trace(i)));
      }
      p.send(new ProducerRecord<>("sampled", "bad".getBytes(), "not protobuf at all".getBytes()));
    }
    Path out = dir.resolve("out");
    String config =
        """
        {"connector.class": "io.otelstream.sinks.file.FileSinkConnector", "topics": "sampled",
         "otlp.signal": "traces", "file.directory": "%s", "batch.linger.ms": "200",
         "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "sinks-dlq",
         "errors.deadletterqueue.topic.replication.factor": "1", "errors.deadletterqueue.context.headers.enable": "true"}
        """
            .formatted(out);
    assertThat(put("/connectors/file-traces/config", config).statusCode()).isIn(200, 201);

    Path file = out.resolve("traces.jsonl");
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> Files.exists(file) && Files.readAllLines(file).size() >= 100);
    Set<String> names = new HashSet<>();
    for (String line : Files.readAllLines(file)) {
      ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
      OtlpJson.merge(line.getBytes(StandardCharsets.UTF_8), b);
      Span s = b.getResourceSpans(0).getScopeSpans(0).getSpans(0);
      int i = Integer.parseInt(s.getName().substring(3));
      assertThat(HexFormat.of().formatHex(s.getTraceId().toByteArray()))
          .endsWith(String.format("%016x", i));
      assertThat(line).contains("\"traceId\":\"000000000000abcd");
      names.add(s.getName());
    }
    assertThat(names).hasSize(100);
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> kafka.readAll("sinks-dlq").size() == 1);
    assertThat(new String(kafka.readAll("sinks-dlq").get(0).value(), StandardCharsets.UTF_8))
        .isEqualTo("not protobuf at all");
  }

  @Test
  void validateReportsPerFieldErrors() throws Exception {
    HttpResponse<String> r =
        put(
            "/connector-plugins/FileSinkConnector/config/validate",
            "{\"name\": \"v\", \"connector.class\": \"io.otelstream.sinks.file.FileSinkConnector\", \"topics\": \"x\", \"otlp.signal\": \"spans\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"error_count\":2")
        .contains("String must be one of (case insensitive): TRACES, METRICS, LOGS")
        .contains("Missing required configuration \\\"file.directory\\\"");
  }
}
