package io.otelstream.edge;

import io.otelstream.config.ConfigLoader;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** An edge on random ports against the test broker, with its own topic prefix. */
final class TestEdge implements AutoCloseable {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  final EdgeServer server;
  final EdgeConfig config;
  final TopicCatalog catalog;
  private final KafkaBroker kafka;

  private TestEdge(KafkaBroker kafka, EdgeConfig config) {
    this.kafka = kafka;
    this.config = config;
    this.catalog = new TopicCatalog(config.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    this.server = EdgeServer.start(config);
  }

  /**
   * @param extraYaml more top-level edge settings (limits, auth, ...)
   */
  static TestEdge start(KafkaBroker kafka, String extraYaml) {
    String prefix = "t" + PREFIXES.incrementAndGet() + "-" + System.nanoTime() % 100000 + ".";
    String yaml =
        "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 2\n"
            + "kafka:\n  bootstrap.servers: "
            + kafka.bootstrapServers()
            + "\n"
            + "topics: {prefix: \""
            + prefix
            + "\", replication_factor: 1, min_insync_replicas: 1}\n"
            + extraYaml;
    return new TestEdge(
        kafka, new ConfigLoader(Map.of()).parse(yaml, EdgeConfig.class, "test-edge.yaml"));
  }

  String topic(Topic t) {
    return catalog.name(t);
  }

  String httpUrl(String path) {
    return "http://localhost:" + server.httpPort() + path;
  }

  List<ConsumerRecord<byte[], byte[]>> records(Topic t) {
    return kafka.readAll(topic(t));
  }

  /** Total records in a topic, from end offsets. */
  long count(Topic t) {
    try (KafkaConsumer<byte[], byte[]> c = kafka.consumer()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic(t)).stream()
              .map(p -> new TopicPartition(topic(t), p.partition()))
              .toList();
      return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Override
  public void close() {
    server.close();
  }

  static void sleepUntil(java.util.function.BooleanSupplier condition, long seconds) {
    org.awaitility.Awaitility.await()
        .atMost(seconds, TimeUnit.SECONDS)
        .until(condition::getAsBoolean);
  }
}
