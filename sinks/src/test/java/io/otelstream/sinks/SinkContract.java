package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery contract every HTTP sink keeps, run against each connector through a real Connect
 * worker: delivery with tenant and authentication, batching, retry with offsets held back during an
 * outage, the dead-letter queue or a failed task for a refused batch, and per-field validation.
 */
abstract class SinkContract {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static ConnectWorker connect;
  private static final AtomicInteger TOPICS = new AtomicInteger();

  /** The connector class under test. */
  abstract String connectorClass();

  abstract String signal();

  /** A receiver that decodes this backend's wire format. */
  abstract Receiver receiver() throws Exception;

  /** Connector settings this backend needs beyond the shared ones, as ", \"key\": \"value\"". */
  String extraConfig() {
    return "";
  }

  /** One record value holding one item named {@code name}. */
  abstract byte[] record(String name);

  @BeforeAll
  static void startConnect() throws Exception {
    connect = new ConnectWorker(kafka, "contract-" + System.nanoTime());
  }

  @AfterAll
  static void stopConnect() {
    connect.close();
  }

  private String topic() throws Exception {
    String name = "contract-" + TOPICS.incrementAndGet() + "-" + System.nanoTime();
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
    }
    return name;
  }

  private void produce(String topic, String prefix, int n, String tenant) {
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
        p.send(new ProducerRecord<>(topic, null, (prefix + i).getBytes(), record(prefix + i), h));
      }
    }
  }

  private String config(String topic, String url, String extra) {
    return """
        {"connector.class": "%s", "topics": "%s", "tasks.max": "1", "otlp.signal": "%s", "backend.url": "%s",
         "batch.linger.ms": "100", "batch.max.records": "7", "tenant.static": "fallback"%s}
        """
        .formatted(connectorClass(), topic, signal(), url, extraConfig() + extra);
  }

  @Test
  void deliversInBatchesWithTenantAndAuthentication() throws Exception {
    try (Receiver backend = receiver()) {
      String topic = topic();
      produce(topic, "acme-", 20, "acme");
      produce(topic, "none-", 20, null);
      connect.put(
          "/connectors/" + topic + "/config",
          config(
              topic,
              backend.url(),
              ", \"auth.basic.username\": \"u\"," + " \"auth.basic.password\": \"p\""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(backend.items).size() == 40);
      for (int i = 0; i < backend.items.size(); i++) {
        assertThat(backend.tenants.get(i))
            .isEqualTo(backend.items.get(i).startsWith("acme-") ? "acme" : "fallback");
      }
      assertThat(backend.authorizations).allMatch("Basic dTpw"::equals);
      assertThat(backend.requests.get())
          .as("batches of at most 7 records")
          .isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void outageHoldsOffsetsBackAndEverythingArrivesAfterwards() throws Exception {
    try (Receiver backend = receiver();
        Admin admin = kafka.admin()) {
      String topic = topic();
      backend.forcedStatus = 503;
      produce(topic, "a-", 10, null);
      connect.put("/connectors/" + topic + "/config", config(topic, backend.url(), ""));
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> backend.requests.get() >= 3);
      produce(topic, "b-", 10, null);
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> backend.requests.get() >= 6);
      Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("connect-" + topic).partitionsToOffsetAndMetadata().get();
      assertThat(
              committed.values().stream()
                  .filter(o -> o != null)
                  .mapToLong(OffsetAndMetadata::offset)
                  .sum())
          .as("no offset committed while the backend refuses")
          .isZero();
      backend.forcedStatus = 0;
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(backend.items).size() == 20);
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  admin
                          .listConsumerGroupOffsets("connect-" + topic)
                          .partitionsToOffsetAndMetadata()
                          .get()
                          .values()
                          .stream()
                          .mapToLong(OffsetAndMetadata::offset)
                          .sum()
                      == 20);
    }
  }

  @Test
  void refusedBatchGoesToTheDeadLetterQueueOrFailsTheTask() throws Exception {
    try (Receiver backend = receiver()) {
      backend.forcedStatus = 400;
      String topic = topic();
      produce(topic, "r-", 3, null);
      connect.put(
          "/connectors/" + topic + "-dlq/config",
          config(
              topic,
              backend.url(),
              ", \"errors.tolerance\": \"all\", \"errors.deadletterqueue.topic.name\": \""
                  + topic
                  + "-dlq\","
                  + " \"errors.deadletterqueue.topic.replication.factor\": \"1\","
                  + " \"errors.deadletterqueue.context.headers.enable\": \"true\""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> kafka.readAll(topic + "-dlq").size() == 3);
      assertThat(
              new String(
                  kafka
                      .readAll(topic + "-dlq")
                      .get(0)
                      .headers()
                      .lastHeader("__connect.errors.exception.message")
                      .value(),
                  StandardCharsets.UTF_8))
          .contains("http_400")
          .contains("forced status 400 from the test receiver");

      connect.put("/connectors/" + topic + "-strict/config", config(topic, backend.url(), ""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  connect
                      .get("/connectors/" + topic + "-strict/status")
                      .body()
                      .contains("\"state\":\"FAILED\""));
      assertThat(connect.get("/connectors/" + topic + "-strict/status").body())
          .contains("forced status 400 from the test receiver");
    }
  }

  @Test
  void validationNamesEachBadField() throws Exception {
    String simpleName = connectorClass().substring(connectorClass().lastIndexOf('.') + 1);
    var r =
        connect.put(
            "/connector-plugins/" + simpleName + "/config/validate",
            "{\"name\": \"v\", \"connector.class\": \""
                + connectorClass()
                + "\", \"topics\": \"x\","
                + " \"otlp.signal\": \""
                + signal()
                + "\", \"backend.url\": \"not a url\", \"batch.max.bytes\": \"0\"}");
    assertThat(r.body())
        .contains("\"error_count\":2")
        .contains("backend.url")
        .contains("Value must be at least 1");
  }
}
