package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL of the streams app under load, then a restart, with Kafka's default session timeout (45
 * s): with static membership ({@code group.instance.id}, as the chart and dev mode set it) the
 * restarted instance takes its tasks back at once; without it the group waits for the dead member's
 * session to time out. Both stay exactly-once; the time from the restart to the first decision is
 * printed for perf/RESULTS.md (timing is measured, not asserted).
 */
class RestartResumeIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 2s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  @ParameterizedTest(name = "static membership: {0}")
  @ValueSource(booleans = {true, false})
  void resumesAfterSigkillExactlyOnce(boolean staticMembership) throws Exception {
    String app = "restart-" + staticMembership;
    int port = io.otelstream.kafka.FreePorts.next();
    String yaml =
        StreamsKit.yaml(
                kafka,
                app,
                dir.resolve("state"),
                port,
                "{prefix: " + app + "., replication_factor: 1, min_insync_replicas: 1}",
                POLICIES)
            .replace("  session.timeout.ms: 6000\n  heartbeat.interval.ms: 1000\n", "");
    if (staticMembership) {
      yaml = yaml.replace("kafka:\n", "kafka:\n  group.instance.id: pod-0\n");
    }
    TopicCatalog topics = StreamsKit.applyTopics(kafka, StreamsKit.config(yaml));
    Path file = dir.resolve("streams.yaml");
    Files.writeString(file, yaml);
    StreamsKit.Child child = new StreamsKit.Child(port, file, topics);
    Path log = dir.resolve("streams.log");
    Set<TraceLoad.Trace> sent;
    long resumeMs;
    try (ContinuousLoad load =
        new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 500)) {
      Process first = child.start(log);
      try {
        TraceLoad.await(
            () -> StreamsKit.metric(port, "otelstream_streams_traces_decided_total") > 0, 120);
        Thread.sleep(1500); // under load, transactions open
      } finally {
        first.destroyForcibly().waitFor(); // SIGKILL
      }
      long restarted = System.nanoTime();
      Process second = child.start(log);
      try {
        TraceLoad.await(
            () -> StreamsKit.metric(port, "otelstream_streams_traces_decided_total") > 0, 120);
        resumeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
        Thread.sleep(2000);
        load.close();
        sent = load.traces();
        Set<String> keys =
            sent.stream().map(TraceLoad.Trace::key).collect(java.util.stream.Collectors.toSet());
        TraceLoad.awaitSlowly(() -> Outcome.decisions(kafka, app).keySet().containsAll(keys), 90);
      } finally {
        second.destroy();
        second.waitFor();
      }
    }
    System.out.printf(
        "RestartResumeIT: static membership %s: first decision %d ms after the restart (JVM start"
            + " included); %d traces, exactly once%n",
        staticMembership, resumeMs, sent.size());
    Outcome.assertExactlyOnce(kafka, app, topics.name(Topic.TRACES_SAMPLED), sent);
    assertThat(Files.readString(log)).doesNotContain("FencedInstanceIdException");
  }
}
