package io.otelstream.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka (broker and controller in one) running inside this JVM, for dev
 * mode and tests. The data directory is formatted on first start and reused afterwards, so a
 * restart resumes with its topics and records. Ports chosen at first start are kept for restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final int NODE_ID = 1;

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  /**
   * @param dataDir where the log and metadata live
   * @param port client port, or 0 for a free one
   */
  public EmbeddedKafka(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port == 0 ? FreePorts.next() : port;
    this.controllerPort = FreePorts.next();
  }

  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
    }
    server = KraftNode.start(brokerProperties(), Uuid.randomUuid().toString(), KraftNode.quiet());
    return this;
  }

  /** Stops the broker and waits until it is down; its data stays for {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    stop();
  }

  private Properties brokerProperties() {
    return KraftNode.of(NODE_ID, "broker,controller", logDir())
        .voters(NODE_ID + "@localhost:" + controllerPort)
        .listeners(port, controllerPort)
        .replication(1)
        .set("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))
        // A restarted node re-registers only after its previous session expired; keep that short.
        .set("broker.session.timeout.ms", "2000")
        .properties();
  }

  private Path logDir() {
    return dataDir.resolve("kraft");
  }
}
