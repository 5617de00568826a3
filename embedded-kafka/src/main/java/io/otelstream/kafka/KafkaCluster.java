package io.otelstream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real KRaft cluster in-process, one controller and three brokers on random
 * ports, with the production replication defaults (replication factor 3, {@code
 * min.insync.replicas} 2) for the internal topics. Brokers can be stopped and started one by one
 * (the controller stays up), for failover tests.
 */
public final class KafkaCluster implements BeforeAllCallback, AfterAllCallback {
  private static final int CONTROLLER_ID = 100;
  private static final int BROKERS = 3;

  private Path dir;
  private String clusterId;
  private int controllerPort;
  private final int[] ports = new int[BROKERS];
  private KafkaRaftServer controller;
  private final KafkaRaftServer[] brokers = new KafkaRaftServer[BROKERS];

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("otelstream-cluster-");
    clusterId = Uuid.randomUuid().toString();
    controllerPort = FreePorts.next();
    for (int i = 0; i < BROKERS; i++) {
      ports[i] = FreePorts.next();
    }
    controller = start(controllerProperties(), CONTROLLER_ID);
    for (int i = 0; i < BROKERS; i++) {
      startBroker(i);
    }
    awaitBrokers(BROKERS);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = 0; i < BROKERS; i++) {
      stopBroker(i);
    }
    if (controller != null) {
      controller.shutdown();
      controller.awaitShutdown();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: best effort
    }
  }

  /** Every broker, running or not: clients find the running ones. */
  public String bootstrapServers() {
    return java.util.Arrays.stream(ports)
        .mapToObj(p -> "localhost:" + p)
        .collect(Collectors.joining(","));
  }

  /** Every committed record currently in the topic, from each partition's beginning to its end. */
  public java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readAll(
      String topic) {
    return CommittedRecords.readAll(bootstrapServers(), topic);
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** Stops broker {@code i} (0-2) and waits until it is down; its data stays. */
  public synchronized void stopBroker(int i) {
    if (brokers[i] != null) {
      brokers[i].shutdown();
      brokers[i].awaitShutdown();
      brokers[i] = null;
    }
  }

  /** Starts broker {@code i} again with its data. */
  public synchronized void startBroker(int i) {
    if (brokers[i] == null) {
      brokers[i] = start(brokerProperties(i), i + 1);
    }
  }

  /** Waits until {@code n} brokers are registered with the controller and unfenced. */
  public void awaitBrokers(int n) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (Admin admin = admin()) {
      while (admin.describeCluster().nodes().get().size() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("fewer than " + n + " brokers registered in 60 s");
        }
        Thread.sleep(200);
      }
    }
  }

  private KafkaRaftServer start(Properties p, int nodeId) {
    return KraftNode.start(p, clusterId, KraftNode.quiet());
  }

  private KraftNode node(int nodeId, String roles) {
    return KraftNode.of(nodeId, roles, dir.resolve("node-" + nodeId))
        .voters(CONTROLLER_ID + "@localhost:" + controllerPort);
  }

  private Properties controllerProperties() {
    return node(CONTROLLER_ID, "controller").listeners(0, controllerPort).properties();
  }

  private Properties brokerProperties(int i) {
    return node(i + 1, "broker").listeners(ports[i], 0).replication(BROKERS).properties();
  }
}
