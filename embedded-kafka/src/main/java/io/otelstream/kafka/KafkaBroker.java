package io.otelstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real in-process KRaft broker on a random port with a temporary data
 * directory, checked ready by producing and consuming one record before any test runs. Register
 * with {@code @RegisterExtension static KafkaBroker kafka = new KafkaBroker();}.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private EmbeddedKafka kafka;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("otelstream-kafka-");
    kafka = new EmbeddedKafka(dir, 0).start();
    awaitReady();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kafka.close();
    deleteRecursively(dir);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** Stops the broker (for fault tests); the data stays. */
  public void stop() {
    kafka.stop();
  }

  /** Starts the broker again on the same port with the same data, and waits until it serves. */
  public void start() throws Exception {
    kafka.start();
    awaitReady();
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  public KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p);
  }

  /** Every committed record currently in the topic, from each partition's beginning to its end. */
  public List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readAll(
      String topic) {
    return CommittedRecords.readAll(bootstrapServers(), topic);
  }

  private void awaitReady() throws Exception {
    String topic = "__otelstream_readiness";
    try (Admin admin = admin()) {
      if (!admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) {
        admin
            .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
            .all()
            .get(60, TimeUnit.SECONDS);
      }
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("delivery.timeout.ms", "60000");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "ready".getBytes())).get(60, TimeUnit.SECONDS);
    }
    if (readAll(topic).isEmpty()) {
      throw new IllegalStateException("broker accepted a record but did not return it");
    }
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
