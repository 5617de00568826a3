package io.otelstream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real KRaft cluster of three nodes, each broker and controller in a JVM of
 * its own (the production replication defaults: factor 3, {@code min.insync.replicas} 2), so that a
 * test can kill a node with SIGKILL, the active controller included (the quorum elects another),
 * and start it again with its data.
 */
public final class KafkaProcessCluster implements BeforeAllCallback, AfterAllCallback {
  public static final int NODES = 3;

  private Path dir;
  private String clusterId;
  private final int[] brokerPorts = new int[NODES];
  private final int[] controllerPorts = new int[NODES];
  private final Process[] nodes = new Process[NODES];

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("otelstream-processes-");
    clusterId = Uuid.randomUuid().toString();
    for (int i = 0; i < NODES; i++) {
      brokerPorts[i] = FreePorts.next();
      controllerPorts[i] = FreePorts.next();
    }
    for (int i = 0; i < NODES; i++) {
      start(i);
    }
    awaitBrokers(NODES);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = 0; i < NODES; i++) {
      if (nodes[i] != null) {
        nodes[i].destroyForcibly();
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: best effort
    }
  }

  public String bootstrapServers() {
    return IntStream.of(brokerPorts)
        .mapToObj(p -> "localhost:" + p)
        .collect(Collectors.joining(","));
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  public java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readAll(
      String topic) {
    return CommittedRecords.readAll(bootstrapServers(), topic);
  }

  /** Node {@code i} (0-2), which is also node id i+1. */
  public synchronized void start(int i) throws IOException {
    if (nodes[i] != null && nodes[i].isAlive()) {
      return;
    }
    Path props = dir.resolve("node-" + (i + 1) + ".properties");
    node(i).store(props);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    nodes[i] =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                KafkaNodeMain.class.getName(),
                props.toString(),
                clusterId)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + (i + 1) + ".log").toFile()))
            .start();
  }

  /** Kills node {@code i} with SIGKILL: no clean shutdown, no flush beyond what the OS has. */
  public synchronized void kill(int i) throws InterruptedException {
    if (nodes[i] != null) {
      nodes[i].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      nodes[i] = null;
    }
  }

  /** The index (0-2) of the node that is the active controller now. */
  public int activeController() throws Exception {
    try (Admin admin = admin()) {
      return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId() - 1;
    }
  }

  /** Waits until {@code n} brokers are registered and unfenced. */
  public void awaitBrokers(int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      try (Admin admin = admin()) {
        if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= n) {
          return;
        }
      } catch (Exception e) {
        // not up yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("fewer than " + n + " brokers registered in 90 s");
      }
      Thread.sleep(300);
    }
  }

  private KraftNode node(int i) {
    return KraftNode.of(i + 1, "broker,controller", dir.resolve("node-" + (i + 1)))
        .voters(
            IntStream.range(0, NODES)
                .mapToObj(n -> (n + 1) + "@localhost:" + controllerPorts[n])
                .collect(Collectors.joining(",")))
        .listeners(brokerPorts[i], controllerPorts[i])
        .replication(NODES)
        .set("controller.quorum.election.timeout.ms", "1000")
        .set("controller.quorum.fetch.timeout.ms", "2000");
  }
}
