package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a streams instance (a child JVM) while 10,000 traces wait for their decision: after a
 * restart every trace is decided once and every kept span is in the output once (read_committed).
 */
class CrashIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 15s
      num_traces: 100000
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  private Process child(Path config, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            StreamsMain.class.getName(),
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void killedInstanceLosesNoTraceAndDecidesEachOnce() throws Exception {
    int port = freePort();
    String yaml =
        StreamsKit.yaml(
            kafka,
            "crash",
            dir.resolve("state"),
            port,
            "{prefix: crash., replication_factor: 1, min_insync_replicas: 1}",
            POLICIES);
    StreamsAppConfig config = StreamsKit.config(yaml);
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    Path file = dir.resolve("streams.yaml");
    Files.writeString(file, yaml);

    List<TraceLoad.Trace> traces = TraceLoad.traces(10_000, 0.1, 2, 7);
    TraceLoad.produce(
        kafka.bootstrapServers(), topics.name(Topic.TRACES), traces, System.currentTimeMillis());

    Process first = child(file, dir.resolve("first.log"));
    try {
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == 10_000, 120);
      assertThat(StreamsKit.metric(port, "otelstream_streams_traces_decided_total")).isZero();
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL
    }

    Process second = child(file, dir.resolve("second.log"));
    try {
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_decided_total") == 10_000, 180);
      Set<String> errors =
          traces.stream()
              .filter(TraceLoad.Trace::error)
              .map(TraceLoad.Trace::key)
              .collect(Collectors.toSet());
      // Output of the last transactions becomes visible to read_committed readers on commit.
      TraceLoad.await(
          () -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() >= errors.size(), 60);
      Map<String, Integer> records = new HashMap<>();
      Map<String, List<Long>> kept =
          StreamsKit.keptSpans(kafka.readAll(topics.name(Topic.TRACES_SAMPLED)), records);
      assertThat(kept.keySet()).isEqualTo(errors);
      kept.forEach((trace, spans) -> assertThat(spans).as(trace).containsExactlyInAnyOrder(0L, 1L));
      assertThat(records.values()).allMatch(n -> n == 1);
    } finally {
      second.destroy();
      second.waitFor();
    }
    assertThat(new File(dir.resolve("second.log").toString())).exists();
  }
}
