package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.KafkaProcessCluster;
import io.otelstream.streams.it.StreamsMain;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a clean stop does not make, on three Kafka nodes in JVMs of their own (each a broker and a
 * controller; replication 3, min.insync.replicas 2), under steady load through the edge, with the
 * streams app (exactly-once) in two JVMs: the active controller killed with SIGKILL (the quorum
 * elects another) and started again; another node killed the same way and started again; then one
 * streams instance frozen with SIGSTOP past its session timeout, so its tasks move to the other,
 * and resumed with SIGCONT: a zombie whose transactions must be fenced. Afterwards every
 * acknowledged request's trace is in otlp-traces, every acknowledged trace the policy keeps is in
 * otlp-traces-sampled (read_committed) exactly once and whole, and no dropped trace is.
 */
class ProcessFaultsIT {
  @RegisterExtension static KafkaProcessCluster kafka = new KafkaProcessCluster();
  @TempDir Path dir;

  private static final String APP = "pk";

  @Test
  void killedBrokersAControllerFailoverAndAZombieLoseAndDuplicateNothing() throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of());
    String topics = "{prefix: pk., replication_factor: 3, min_insync_replicas: 2}";
    String bootstrap = "kafka: {bootstrap.servers: \"" + kafka.bootstrapServers() + "\"}\n";
    EdgeConfig edgeConfig =
        loader.parse(
            "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 1\n"
                + "limits: {request_timeout: 3s, retry_after: 1s}\n"
                + bootstrap
                + "topics: "
                + topics
                + "\n",
            EdgeConfig.class,
            "edge");
    TopicCatalog catalog = new TopicCatalog(edgeConfig.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    Process first = streams(1, topics);
    Process second = streams(2, topics);
    TraceTraffic traffic;
    try (EdgeServer edge = EdgeServer.start(edgeConfig)) {
      traffic = new TraceTraffic("http://localhost:" + edge.httpPort() + "/v1/traces", 2);
      try (traffic) {
        TraceTraffic.awaitMore(traffic.ok, 100);

        int controller = kafka.activeController();
        kafka.kill(controller); // SIGKILL: the quorum elects another controller
        TraceTraffic.awaitMore(traffic.ok, 100);
        assertThat(kafka.activeController()).as("a new active controller").isNotEqualTo(controller);
        kafka.start(controller);
        kafka.awaitBrokers(3);
        TraceTraffic.awaitMore(traffic.ok, 100);

        int broker = (kafka.activeController() + 1) % KafkaProcessCluster.NODES;
        kafka.kill(broker);
        TraceTraffic.awaitMore(traffic.ok, 100);
        kafka.start(broker);
        kafka.awaitBrokers(3);
        TraceTraffic.awaitMore(traffic.ok, 100);

        signal(first, "STOP"); // frozen: its session times out, its tasks move
        awaitMembers(1);
        TraceTraffic.awaitMore(traffic.ok, 100);
        signal(first, "CONT"); // a zombie: its open transaction must not land
        awaitMembers(2);
        TraceTraffic.awaitMore(traffic.ok, 100);
      }
    } finally {
      signal(first, "CONT");
    }
    try {
      String sampled = catalog.name(Topic.TRACES_SAMPLED);
      Map<String, List<String>> spansByTrace =
          Awaitility.await("acknowledged kept traces in " + sampled)
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> TraceTraffic.spansByTrace(kafka.readAll(sampled)),
                  m -> m.keySet().containsAll(traffic.ackedKept));
      traffic.assertKeptExactlyOnce(spansByTrace, sampled);
      Set<String> stored = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(catalog.name(Topic.TRACES))) {
        stored.add(new String(r.key(), StandardCharsets.US_ASCII));
      }
      assertThat(stored).as("every acknowledged trace in otlp-traces").containsAll(traffic.acked);
      System.out.printf(
          "ProcessFaultsIT: %d requests acknowledged, %d answered 503; %d kept traces exactly"
              + " once%n",
          traffic.ok.get(), traffic.unavailable.get(), spansByTrace.size());
    } finally {
      for (Process p : List.of(first, second)) {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
    }
  }

  /** A streams instance in its own JVM (StreamsMain), with its own state directory. */
  private Process streams(int n, String topics) throws Exception {
    int admin = io.otelstream.kafka.FreePorts.next();
    Path config = dir.resolve("streams-" + n + ".yaml");
    Files.writeString(
        config,
        "application_id: "
            + APP
            + "\nstate_dir: "
            + dir.resolve("state-" + n)
            + "\nadmin: {port: "
            + admin
            + "}\nkafka:\n  bootstrap.servers: \""
            + kafka.bootstrapServers()
            + "\"\n  session.timeout.ms: 6000\n  heartbeat.interval.ms: 1000\n"
            + "topics: "
            + topics
            + "\ntail_sampling:\n  decision_wait: 2s\n  policies:\n"
            + TraceTraffic.POLICY);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx384m",
            "-cp",
            System.getProperty("java.class.path"),
            StreamsMain.class.getName(),
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(dir.resolve("streams-" + n + ".log").toFile()))
        .start();
  }

  private static void signal(Process p, String signal) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
  }

  /** Waits until the streams app's consumer group has {@code n} members. */
  private static void awaitMembers(int n) {
    Awaitility.await("streams group with " + n + " members")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              try (Admin admin = kafka.admin()) {
                return admin
                        .describeConsumerGroups(List.of(APP))
                        .all()
                        .get()
                        .get(APP)
                        .members()
                        .size()
                    == n;
              } catch (java.util.concurrent.ExecutionException e) {
                return false; // the group coordinator is moving
              }
            });
  }
}
