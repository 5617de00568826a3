package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.kafka.KafkaBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Tempo sink's delivery contract against a receiver that decodes real OTLP. */
class TempoSinkIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static ConnectWorker connect;

  @BeforeAll
  static void start() throws Exception {
    connect = new ConnectWorker(kafka, "tempo-it");
  }

  @AfterAll
  static void stop() {
    connect.close();
  }

  private static byte[] trace(String name) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setTraceId(
                                    ByteString.copyFrom(
                                        ByteBuffer.allocate(16)
                                            .putLong(7)
                                            .putLong(name.hashCode())
                                            .array()))
                                .setSpanId(
                                    ByteString.copyFrom(ByteBuffer.allocate(8).putLong(1).array()))
                                .setName(name))))
        .build()
        .toByteArray();
  }

  private static void produce(String topic, String prefix, int n, String tenant) throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        RecordHeaders h = new RecordHeaders();
        if (tenant != null) {
          h.add("otelstream.tenant", tenant.getBytes(StandardCharsets.UTF_8));
        }
        p.send(new ProducerRecord<>(topic, null, (prefix + i).getBytes(), trace(prefix + i), h));
      }
    }
  }

  private static void topic(String name) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
    }
  }

  private static String config(String topic, String url, String extra) {
    return """
        {"connector.class": "io.otelstream.sinks.tempo.TempoSinkConnector", "topics": "%s", "tasks.max": "1",
         "otlp.signal": "traces", "backend.url": "%s", "batch.linger.ms": "100", "tenant.static": "fallback"%s}
        """
        .formatted(topic, url, extra);
  }

  @Test
  void deliversEveryRecordWithTenantAndAuthentication() throws Exception {
    try (OtlpReceiver tempo = new OtlpReceiver()) {
      topic("t-deliver");
      produce("t-deliver", "acme-", 30, "acme");
      produce("t-deliver", "none-", 30, null);
      assertThat(
              connect
                  .put(
                      "/connectors/tempo-deliver/config",
                      config("t-deliver", tempo.url(), ", \"auth.bearer.token\": \"s3cret\""))
                  .statusCode())
          .isIn(200, 201);
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> tempo.tenantBySpan.size() == 60);
      for (int i = 0; i < 30; i++) {
        assertThat(tempo.tenantBySpan)
            .containsEntry("acme-" + i, "acme")
            .containsEntry("none-" + i, "fallback");
      }
      assertThat(tempo.authorizations).allMatch("Bearer s3cret"::equals);
    }
  }

  @Test
  void outageHoldsOffsetsBackAndDeliversEverythingAfterwards() throws Exception {
    try (OtlpReceiver tempo = new OtlpReceiver();
        Admin admin = kafka.admin()) {
      topic("t-outage");
      tempo.forcedStatus = 503;
      produce("t-outage", "a-", 20, null);
      connect.put("/connectors/tempo-outage/config", config("t-outage", tempo.url(), ""));
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> tempo.requests.get() >= 3);
      produce("t-outage", "b-", 20, null);
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> tempo.requests.get() >= 6);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets("connect-tempo-outage")
              .partitionsToOffsetAndMetadata()
              .get();
      assertThat(
              committed.values().stream()
                  .filter(o -> o != null)
                  .mapToLong(OffsetAndMetadata::offset)
                  .sum())
          .as("no offset committed while the backend refuses")
          .isZero();
      tempo.forcedStatus = 0;
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> tempo.tenantBySpan.size() == 40);
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  admin
                          .listConsumerGroupOffsets("connect-tempo-outage")
                          .partitionsToOffsetAndMetadata()
                          .get()
                          .values()
                          .stream()
                          .mapToLong(OffsetAndMetadata::offset)
                          .sum()
                      == 40);
    }
  }

  @Test
  void badRequestGoesToTheDeadLetterQueueOrFailsTheTask() throws Exception {
    try (OtlpReceiver tempo = new OtlpReceiver()) {
      tempo.forcedStatus = 400;
      topic("t-reject");
      produce("t-reject", "r-", 5, null);
      connect.put(
          "/connectors/tempo-dlq/config",
          config(
              "t-reject",
              tempo.url(),
              ", \"errors.tolerance\": \"all\", \"errors.deadletterqueue.topic.name\": \"tempo-dlq\","
                  + " \"errors.deadletterqueue.topic.replication.factor\": \"1\","
                  + " \"errors.deadletterqueue.context.headers.enable\": \"true\""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> kafka.readAll("tempo-dlq").size() == 5);
      String reason =
          new String(
              kafka
                  .readAll("tempo-dlq")
                  .get(0)
                  .headers()
                  .lastHeader("__connect.errors.exception.message")
                  .value(),
              StandardCharsets.UTF_8);
      assertThat(reason).contains("http_400").contains("forced status 400 from the test receiver");

      connect.put("/connectors/tempo-strict/config", config("t-reject", tempo.url(), ""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  connect
                      .get("/connectors/tempo-strict/status")
                      .body()
                      .contains("\"state\":\"FAILED\""));
      assertThat(connect.get("/connectors/tempo-strict/status").body())
          .contains("forced status 400 from the test receiver");
    }
  }

  @Test
  void validateNamesEachBadField() throws Exception {
    var r =
        connect.put(
            "/connector-plugins/TempoSinkConnector/config/validate",
            "{\"name\": \"v\", \"connector.class\": \"io.otelstream.sinks.tempo.TempoSinkConnector\", \"topics\": \"x\","
                + " \"backend.url\": \"ftp://tempo\", \"batch.max.records\": \"0\"}");
    assertThat(r.body())
        .contains("\"error_count\":4")
        .contains("must be an http:// or https:// URL with a host")
        .contains("Missing required configuration \\\"otlp.signal\\\"")
        .contains("Value must be at least 1");
  }
}
