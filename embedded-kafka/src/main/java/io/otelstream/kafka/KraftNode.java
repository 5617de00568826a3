package io.otelstream.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One KRaft node's settings and storage: the one place the embedded brokers (dev mode's single
 * node, the in-process and the process-per-node test clusters) write broker properties, format
 * storage and start.
 */
final class KraftNode {
  private final Properties p = new Properties();

  private KraftNode(int nodeId, String roles, Path logDir) {
    p.put("process.roles", roles);
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A node that stops is noticed, and a restarted one re-registers, within seconds.
    p.put("broker.session.timeout.ms", "3000");
    p.put("broker.heartbeat.interval.ms", "500");
  }

  /** A node with {@code roles} ("broker", "controller" or "broker,controller"). */
  static KraftNode of(int nodeId, String roles, Path logDir) {
    return new KraftNode(nodeId, roles, logDir);
  }

  /** The controller quorum, {@code id@localhost:port} each. */
  KraftNode voters(String voters) {
    p.put("controller.quorum.voters", voters);
    return this;
  }

  /** The client and controller listeners on localhost; 0 leaves a listener out. */
  KraftNode listeners(int brokerPort, int controllerPort) {
    StringBuilder listeners = new StringBuilder();
    if (brokerPort != 0) {
      listeners.append("PLAINTEXT://localhost:").append(brokerPort);
      p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
      p.put("inter.broker.listener.name", "PLAINTEXT");
    }
    if (controllerPort != 0) {
      listeners.append(listeners.isEmpty() ? "" : ",");
      listeners.append("CONTROLLER://localhost:").append(controllerPort);
    }
    p.put("listeners", listeners.toString());
    return this;
  }

  /**
   * Replication of every topic and internal topic: 1 for a single node, or {@code factor} with
   * {@code min.insync.replicas} one less (production's 3 and 2), and followers that stop fetching
   * leaving the ISR quickly.
   */
  KraftNode replication(int factor) {
    String minIsr = Integer.toString(Math.max(1, factor - 1));
    String rf = Integer.toString(factor);
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", rf);
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    if (factor > 1) {
      p.put("replica.lag.time.max.ms", "3000");
    }
    return this;
  }

  KraftNode set(String key, String value) {
    p.put(key, value);
    return this;
  }

  Properties properties() {
    return p;
  }

  /**
   * Writes the settings to {@code file}, for a node in a JVM of its own ({@link KafkaNodeMain}).
   */
  void store(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Formats the node's storage on its first start, then starts it. */
  static KafkaRaftServer start(Properties p, String clusterId, PrintStream formatterOutput) {
    Path logDir = Path.of(p.getProperty("log.dirs"));
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      try {
        Files.createDirectories(logDir);
        new Formatter()
            .setPrintStream(formatterOutput)
            .setNodeId(Integer.parseInt(p.getProperty("node.id")))
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
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
    server.startup();
    return server;
  }

  /** A formatter that prints nothing (in-process nodes; their log says enough). */
  static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
