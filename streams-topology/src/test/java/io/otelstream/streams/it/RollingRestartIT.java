package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rolling restart of two streams instances under load, one after the other, each stopped cleanly
 * and started again with its state, as a StatefulSet rolls: the rebalances the instance that stays
 * up goes through are counted (its main consumer's {@code rebalance-total}). With static membership
 * (as the chart sets it) a restart costs at most one; without it a member leaves and joins again,
 * two per restarted instance. Exactly-once either way.
 */
class RollingRestartIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 2s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  private StreamsKit.Child instance(String app, String id, boolean staticMembership)
      throws Exception {
    int port = io.otelstream.kafka.FreePorts.next();
    String yaml =
        StreamsKit.yaml(
                kafka,
                app,
                dir.resolve("state-" + id),
                port,
                "{prefix: " + app + "., replication_factor: 1, min_insync_replicas: 1}",
                POLICIES)
            // Long enough for a JVM to stop and start again within it.
            .replace("session.timeout.ms: 6000", "session.timeout.ms: 30000");
    if (staticMembership) {
      yaml = yaml.replace("kafka:\n", "kafka:\n  group.instance.id: " + id + "\n");
    }
    TopicCatalog topics = StreamsKit.applyTopics(kafka, StreamsKit.config(yaml));
    Path file = dir.resolve(id + ".yaml");
    Files.writeString(file, yaml);
    return new StreamsKit.Child(port, file, topics);
  }

  /** Rebalances an instance's consumer took part in since it started. */
  private static double rebalances(StreamsKit.Child instance) {
    return StreamsKit.metric(instance.adminPort(), "kafka_consumer_coordinator_rebalance_total");
  }

  @ParameterizedTest(name = "static membership: {0}")
  @ValueSource(booleans = {true, false})
  void aRollingRestartStaysExactlyOnceAndItsRebalancesAreCounted(boolean staticMembership)
      throws Exception {
    String app = "rolling-" + staticMembership;
    StreamsKit.Child a = instance(app, "pod-0", staticMembership);
    StreamsKit.Child b = instance(app, "pod-1", staticMembership);
    TopicCatalog topics = a.topics();
    Path[] logs = {dir.resolve("pod-0.log"), dir.resolve("pod-1.log")};
    StreamsKit.Child[] children = {a, b};
    Process[] running = new Process[2];
    int counted = 0;
    Set<TraceLoad.Trace> sent;
    try (ContinuousLoad load =
        new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 900)) {
      for (int i = 0; i < 2; i++) {
        running[i] = children[i].start(logs[i]);
      }
      for (StreamsKit.Child c : children) {
        TraceLoad.await(
            () -> StreamsKit.metric(c.adminPort(), "otelstream_streams_ready") == 1, 120);
      }
      for (int i = 0; i < 2; i++) {
        int other = 1 - i;
        // The group settles before the roll starts: only the roll's rebalances are counted.
        TraceLoad.await(
            () -> StreamsKit.metric(children[other].adminPort(), "otelstream_streams_ready") == 1,
            120);
        double before = rebalances(children[other]);
        assertThat(before).as("the rebalance count is served").isPositive();
        running[i].destroy(); // SIGTERM: a clean stop, as a rolling update sends
        running[i].waitFor();
        running[i] = children[i].start(logs[i]);
        StreamsKit.Child restarted = children[i];
        TraceLoad.await(
            () ->
                StreamsKit.metric(restarted.adminPort(), "otelstream_streams_ready") == 1
                    && StreamsKit.metric(children[other].adminPort(), "otelstream_streams_ready")
                        == 1,
            120);
        Thread.sleep(3000); // a rebalance the restart triggers late is counted too
        counted += (int) (rebalances(children[other]) - before);
      }
      load.close();
      sent = load.traces();
      Set<String> keys = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
      TraceLoad.awaitSlowly(() -> Outcome.decisions(kafka, app).keySet().containsAll(keys), 120);
      Outcome.assertExactlyOnce(kafka, app, topics.name(Topic.TRACES_SAMPLED), sent);
    } finally {
      for (Process p : running) {
        if (p != null) {
          p.destroy();
          p.waitFor();
        }
      }
    }
    System.out.printf(
        "RollingRestartIT: static membership %s: %d rebalances seen by the instance that stayed up"
            + " over a rolling restart of two instances%n",
        staticMembership, counted);
    if (staticMembership) {
      assertThat(counted)
          .as("rebalances over the roll, at most one per restarted instance")
          .isLessThanOrEqualTo(2);
    }
  }
}
