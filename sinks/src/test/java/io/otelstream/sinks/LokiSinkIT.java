package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.loki.LabelPairAdapter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Loki sink against a receiver that decodes snappy + the push protobuf and applies Loki's
 * rules.
 */
class LokiSinkIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static byte[] logs(String service, int n) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < n; i++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setSeverityNumberValue(17)
              .setBody(AnyValue.newBuilder().setStringValue(service + " line " + i))
              .addAttributes(kv("user.id", "u-" + i))
              .setTraceId(
                  ByteString.copyFrom(
                      new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", service))
                        .addAttributes(kv("deployment.environment", "prod"))
                        .addAttributes(kv("host.name", "h-1"))
                        .addAttributes(kv("k8s.pod.uid", "pod-7")))
                .addScopeLogs(scope))
        .build()
        .toByteArray();
  }

  @Test
  void labelsFromTheShortListEverythingElseAsStructuredMetadata() throws Exception {
    try (LokiReceiver loki = new LokiReceiver();
        EmbeddedConnect connect = EmbeddedConnect.start(kafka.bootstrapServers(), "loki-it")) {
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic("logs-processed", 2, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        RecordHeaders acme = new RecordHeaders();
        acme.add("otelstream.tenant", "acme".getBytes(StandardCharsets.UTF_8));
        p.send(
            new ProducerRecord<>(
                "logs-processed", null, "a".getBytes(), logs("checkout", 5), acme));
        p.send(
            new ProducerRecord<>(
                "logs-processed", null, "b".getBytes(), logs("cart", 3), new RecordHeaders()));
      }
      connect.put(
          "/connectors/loki/config",
          """
          {"connector.class": "io.otelstream.sinks.loki.LokiSinkConnector", "topics": "logs-processed",
           "otlp.signal": "logs", "backend.url": "%s", "batch.linger.ms": "100"}
          """
              .formatted(loki.url()));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () -> loki.streams.stream().mapToInt(r -> r.stream().getEntriesCount()).sum() == 8);
      LokiReceiver.Received checkout =
          loki.streams.stream()
              .filter(r -> "checkout".equals(r.labels().get("service_name")))
              .findFirst()
              .orElseThrow();
      assertThat(checkout.tenant()).isEqualTo("acme");
      assertThat(checkout.labels())
          .isEqualTo(Map.of("service_name", "checkout", "deployment_environment", "prod"));
      var entry = checkout.stream().getEntries(0);
      assertThat(entry.getLine()).isEqualTo("checkout line 0");
      Map<String, String> metadata =
          entry.getStructuredMetadataList().stream()
              .collect(Collectors.toMap(LabelPairAdapter::getName, LabelPairAdapter::getValue));
      assertThat(metadata)
          .containsEntry("host_name", "h-1")
          .containsEntry("k8s_pod_uid", "pod-7")
          .containsEntry("user_id", "u-0")
          .containsEntry("severity_number", "17")
          .containsEntry("trace_id", "0102030405060708090a0b0c0d0e0f10");
      assertThat(
              loki.streams.stream()
                  .filter(r -> "cart".equals(r.labels().get("service_name")))
                  .findFirst()
                  .orElseThrow()
                  .tenant())
          .isEqualTo("null");
    }
  }

  @Test
  void theReceiverRefusesWhatLokiRefuses() {
    assertThat(LokiReceiver.parse("{a=\"1\", b=\"x \\\"y\\\"\"}"))
        .containsEntry("b", "x \\\"y\\\"");
    assertThatThrownBy(() -> LokiReceiver.parse("a=\"1\"")).hasMessageContaining("syntax error");
    assertThatThrownBy(() -> LokiReceiver.parse("{}"))
        .hasMessageContaining("at least one label pair");
    assertThatThrownBy(() -> LokiReceiver.parse("{service.name=\"a\"}"))
        .hasMessageContaining("invalid label name");
    assertThatThrownBy(() -> LokiReceiver.parse("{a=\"1\", a=\"2\"}"))
        .hasMessageContaining("duplicate label name");
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 16; i++) {
      many.append(i == 0 ? "" : ", ").append("l").append(i).append("=\"v\"");
    }
    assertThatThrownBy(() -> LokiReceiver.parse(many + "}"))
        .hasMessageContaining("has 16 label names; limit 15");
  }
}
