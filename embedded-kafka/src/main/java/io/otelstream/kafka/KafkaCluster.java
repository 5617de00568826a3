package io.otelstream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
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
    Path logDir = Path.of(p.getProperty("log.dirs"));
    format(logDir, nodeId);
    KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
    s.startup();
    return s;
  }

  private Properties common(int nodeId, String roles) {
    Properties p = new Properties();
    p.put("process.roles", roles);
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", CONTROLLER_ID + "@localhost:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    Path logDir = dir.resolve("node-" + nodeId);
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    p.put("broker.session.timeout.ms", "3000");
    p.put("broker.heartbeat.interval.ms", "500");
    return p;
  }

  private Properties controllerProperties() {
    Properties p = common(CONTROLLER_ID, "controller");
    p.put("listeners", "CONTROLLER://localhost:" + controllerPort);
    return p;
  }

  private Properties brokerProperties(int i) {
    Properties p = common(i + 1, "broker");
    p.put("listeners", "PLAINTEXT://localhost:" + ports[i]);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + ports[i]);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    threeBrokerDefaults(p);
    return p;
  }

  /**
   * What a three-broker test cluster's brokers share: production replication (factor 3, {@code
   * min.insync.replicas} 2) for every topic and internal topic, fast failure detection.
   */
  static void threeBrokerDefaults(Properties p) {
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("default.replication.factor", "3");
    p.put("min.insync.replicas", "2");
    p.put("offsets.topic.replication.factor", "3");
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", "3");
    p.put("share.coordinator.state.topic.min.isr", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A follower that stops fetching leaves the ISR after this long.
    p.put("replica.lag.time.max.ms", "3000");
  }

  private void format(Path logDir, int nodeId) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setControllerListenerName("CONTROLLER")
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
    }
  }
}
