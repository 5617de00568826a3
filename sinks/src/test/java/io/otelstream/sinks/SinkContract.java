package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
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

/**
 * The delivery contract every sink keeps, run against each connector through a real Connect worker:
 * delivery with tenant (and authentication where the backend has it), batching, retry with offsets
 * held back during an outage, the dead-letter queue or a failed task for refused records, and
 * per-field validation. Counts of batches come from the connector's own metrics over JMX.
 */
abstract class SinkContract {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  static EmbeddedConnect connect;
  private static final AtomicInteger TOPICS = new AtomicInteger();

  /** The connector class under test. */
  abstract String connectorClass();

  abstract String signal();

  /** A backend double that decodes this backend's wire format. */
  abstract ContractBackend backend() throws Exception;

  /** Connector settings this backend needs beyond the shared ones, as ", \"key\": \"value\"". */
  String extraConfig() {
    return "";
  }

  /** The content encoding every request must carry, or null where the backend sees none. */
  String encoding() {
    return null;
  }

  /** One record value holding one item named {@code name}. */
  abstract byte[] record(String name);

  @BeforeAll
  static void startConnect() throws Exception {
    connect = EmbeddedConnect.start(kafka.bootstrapServers(), "contract-" + System.nanoTime());
  }

  @AfterAll
  static void stopConnect() {
    connect.close();
  }

  String topic() throws Exception {
    String name = "contract-" + TOPICS.incrementAndGet() + "-" + System.nanoTime();
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
    }
    return name;
  }

  void produce(String topic, String prefix, int n, String tenant) {
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

  /** A connector that sends refused records to {@code <topic>-dlq} with context headers. */
  String dlqConfig(String topic, ContractBackend backend) {
    return config(
        topic,
        backend,
        ", \"errors.tolerance\": \"all\", \"errors.deadletterqueue.topic.name\": \""
            + topic
            + "-dlq\", \"errors.deadletterqueue.topic.replication.factor\": \"1\","
            + " \"errors.deadletterqueue.context.headers.enable\": \"true\"");
  }

  String config(String topic, ContractBackend backend, String extra) {
    return """
        {"connector.class": "%s", "topics": "%s", "tasks.max": "1", "otlp.signal": "%s",
         "batch.linger.ms": "100", "batch.max.records": "7", "tenant.static": "fallback"%s}
        """
        .formatted(connectorClass(), topic, signal(), backend.settings() + extraConfig() + extra);
  }

  private static double metric(String connector, String name) throws Exception {
    return PluginMetricsJmx.sum(connector, name);
  }

  @Test
  void deliversInBatchesWithTenantAndAuthentication() throws Exception {
    try (ContractBackend backend = backend()) {
      String topic = topic();
      produce(topic, "acme-", 20, "acme");
      produce(topic, "none-", 20, null);
      connect.put(
          "/connectors/" + topic + "/config",
          config(
              topic, backend, ", \"auth.basic.username\": \"u\", \"auth.basic.password\": \"p\""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(backend.items()).size() == 40);
      List<String> items = backend.items();
      List<String> tenants = backend.tenants();
      for (int i = 0; i < items.size(); i++) {
        assertThat(tenants.get(i))
            .as("tenant of " + items.get(i))
            .isEqualTo(items.get(i).startsWith("acme-") ? "acme" : "fallback");
      }
      backend
          .authorizations()
          .ifPresent(auth -> assertThat(auth).isNotEmpty().allMatch("Basic dTpw"::equals));
      if (encoding() != null) {
        assertThat(backend.encodings()).isNotEmpty().containsOnly(encoding());
      }
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> metric(topic, "records-sent-total") >= 40);
      assertThat(metric(topic, "batches-sent-total"))
          .as("batches of at most 7 records")
          .isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void outageHoldsOffsetsBackAndEverythingArrivesAfterwards() throws Exception {
    try (ContractBackend backend = backend();
        Admin admin = kafka.admin()) {
      String topic = topic();
      connect.put("/connectors/" + topic + "/config", config(topic, backend, ""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  connect
                      .get("/connectors/" + topic + "/status")
                      .body()
                      .matches(".*\"tasks\":\\[\\{\"id\":0,\"state\":\"RUNNING\".*"));
      backend.outage(true);
      produce(topic, "a-", 10, null);
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> metric(topic, "batches-failed-total") >= 3);
      produce(topic, "b-", 10, null);
      double failed = metric(topic, "batches-failed-total");
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> metric(topic, "batches-failed-total") >= failed + 1); // backing off
      Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("connect-" + topic).partitionsToOffsetAndMetadata().get();
      assertThat(
              committed.values().stream()
                  .filter(o -> o != null)
                  .mapToLong(OffsetAndMetadata::offset)
                  .sum())
          .as("no offset committed while the backend refuses")
          .isZero();
      assertThat(backend.items()).isEmpty();
      assertThat(metric(topic, "lag-seconds"))
          .as("the held records' age: how far behind the backend is, in time")
          .isPositive();
      backend.outage(false);
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(backend.items()).size() == 20);
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        expected.add("a-" + i);
        expected.add("b-" + i);
      }
      assertThat(new HashSet<>(backend.items())).isEqualTo(expected);
      // Counted once delivered (the count follows the backend's answer by a moment).
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> metric(topic, "records-sent-total") >= 20);
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
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> metric(topic, "lag-seconds") == 0);
    }
  }

  @Test
  void recordsRetentionDeletedBeforeTheSinkReadThemAreCounted() throws Exception {
    try (ContractBackend backend = backend();
        Admin admin = kafka.admin()) {
      String topic = topic();
      String withRetentionCheck =
          config(
              topic,
              backend,
              ", \"kafka.bootstrap.servers\": \"" + kafka.bootstrapServers() + "\"");
      connect.put("/connectors/" + topic + "/config", withRetentionCheck);
      produce(topic, "a-", 4, null);
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> committed(admin, "connect-" + topic) == 4);
      // A sink that is down longer than retention keeps its records: removed (its committed
      // offsets stay) while records arrive and expire, then created again.
      connect.delete("/connectors/" + topic);
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  admin
                      .describeConsumerGroups(List.of("connect-" + topic))
                      .all()
                      .get()
                      .get("connect-" + topic)
                      .members()
                      .isEmpty());
      produce(topic, "b-", 10, null);
      Map<TopicPartition, RecordsToDelete> expire = new HashMap<>();
      for (int p = 0; p < 2; p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        long end =
            admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        expire.put(tp, RecordsToDelete.beforeOffset(end));
      }
      admin.deleteRecords(expire).all().get();
      produce(topic, "c-", 4, null);
      connect.put("/connectors/" + topic + "/config", withRetentionCheck);
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  backend.items().stream().filter(i -> i.startsWith("c-")).distinct().count() == 4);
      assertThat(backend.items()).noneMatch(i -> i.startsWith("b-"));
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> metric(topic, "records-lost-to-retention-total") == 10);
    }
  }

  private static long committed(Admin admin, String group) throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get()
        .values()
        .stream()
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  @Test
  void refusedRecordsGoToTheDeadLetterQueueOrFailTheTask() throws Exception {
    try (ContractBackend backend = backend()) {
      String tenant = backend.refuse();
      String topic = topic();
      produce(topic, "r-", 3, tenant);
      connect.put("/connectors/" + topic + "-dlq/config", dlqConfig(topic, backend));
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
          .contains(backend.refusalMessage());
      assertThat(metric(topic + "-dlq", "records-deadlettered-total")).isEqualTo(3);

      connect.put("/connectors/" + topic + "-strict/config", config(topic, backend, ""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  connect
                      .get("/connectors/" + topic + "-strict/status")
                      .body()
                      .contains("\"state\":\"FAILED\""));
      assertThat(connect.get("/connectors/" + topic + "-strict/status").body())
          .contains(backend.refusalMessage());
    }
  }

  /**
   * An expired credential is the sink's fault, not the records': even with errors.tolerance=all
   * nothing is dead-lettered and no offset moves; once the credential works, everything arrives.
   */
  @Test
  void refusedCredentialsAreRetriedAndNeverDeadLettered() throws Exception {
    try (ContractBackend backend = backend();
        Admin admin = kafka.admin()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          backend.refuseCredentials(true), "this sink's backend has no credentials");
      String topic = topic();
      produce(topic, "c-", 5, null);
      connect.put("/connectors/" + topic + "/config", dlqConfig(topic, backend));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> metric(topic, "batches-failed-total") >= 2);
      assertThat(kafka.readAll(topic + "-dlq")).as("dead letters").isEmpty();
      assertThat(
              admin
                  .listConsumerGroupOffsets("connect-" + topic)
                  .partitionsToOffsetAndMetadata()
                  .get()
                  .values()
                  .stream()
                  .filter(o -> o != null)
                  .mapToLong(OffsetAndMetadata::offset)
                  .sum())
          .as("no offset committed while the credential is refused")
          .isZero();
      backend.refuseCredentials(false);
      Awaitility.await()
          .atMost(90, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(backend.items()).size() == 5);
      assertThat(kafka.readAll(topic + "-dlq")).as("dead letters").isEmpty();
    }
  }

  @Test
  void aThrottlingBackendIsRetriedAfterTheWaitItAskedFor() throws Exception {
    try (ContractBackend backend = backend()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          backend.throttle(1, java.time.Duration.ofSeconds(2)),
          "this sink has no backend that can ask it to slow down");
      String topic = topic();
      produce(topic, "t-", 3, null);
      connect.put("/connectors/" + topic + "/config", config(topic, backend, ""));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(backend.items()).containsAll(List.of("t-0", "t-1", "t-2")));
      assertThat(backend.throttledAt()).hasSize(1);
      long waitedMs =
          TimeUnit.NANOSECONDS.toMillis(backend.acceptedAt().get(0) - backend.throttledAt().get(0));
      assertThat(waitedMs).as("ms between the throttled answer and the retry").isGreaterThan(1800);
    }
  }

  @Test
  void oneRefusedRecordAmongGoodOnesIsTheOnlyDeadLetter() throws Exception {
    try (ContractBackend backend = backend()) {
      String tenant = backend.refuseItem("bad-0");
      String topic = topic();
      produce(topic, "g-", 3, null);
      produce(topic, "bad-", 1, tenant);
      produce(topic, "h-", 3, null);
      connect.put("/connectors/" + topic + "-one/config", dlqConfig(topic, backend));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  kafka.readAll(topic + "-dlq").size() == 1
                      && new HashSet<>(backend.items())
                          .containsAll(List.of("g-0", "g-1", "g-2", "h-0", "h-1", "h-2")));
      var dead = kafka.readAll(topic + "-dlq").get(0);
      assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("bad-0");
      assertThat(
              new String(
                  dead.headers().lastHeader("__connect.errors.exception.message").value(),
                  StandardCharsets.UTF_8))
          .contains(backend.itemRefusalMessage());
      assertThat(backend.items()).doesNotContain("bad-0");
      assertThat(metric(topic + "-one", "records-deadlettered-total")).isEqualTo(1);
    }
  }

  /** Bad values of this backend's own settings (a URL, a mode...), by setting name. */
  abstract Map<String, String> badBackendSettings();

  @Test
  void validationNamesEachBadField() throws Exception {
    String simpleName = connectorClass().substring(connectorClass().lastIndexOf('.') + 1);
    Map<String, String> request = new java.util.LinkedHashMap<>(badBackendSettings());
    request.put("name", "v");
    request.put("connector.class", connectorClass());
    request.put("topics", "x");
    request.put("batch.max.bytes", "0");
    // otlp.signal, which is required, is left out
    var r =
        connect.put(
            "/connector-plugins/" + simpleName + "/config/validate",
            JSON.writeValueAsString(request));
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, String> errors = new java.util.TreeMap<>();
    for (var config : JSON.readTree(r.body()).get("configs")) {
      var value = config.get("value");
      if (!value.get("errors").isEmpty()) {
        errors.put(value.get("name").asText(), value.get("errors").toString());
      }
    }
    Set<String> expected = new java.util.TreeSet<>(badBackendSettings().keySet());
    expected.add("batch.max.bytes");
    expected.add("otlp.signal");
    assertThat(errors.keySet()).isEqualTo(expected);
    assertThat(errors.get("otlp.signal")).contains("Missing required configuration");
    assertThat(errors.get("batch.max.bytes")).contains("Value must be at least 1");
  }
}
