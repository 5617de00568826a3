package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces processed and committed but not yet decided when the app is killed, and no input after the
 * restart: the rebuilt traces are still decided (by wall-clock time, as if the app had never
 * stopped), although no partition ever sees a new record to tell the task its stream time.
 */
class IdleRestartIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final int TRACES = 300;
  private static final String APP = "idle-restart";
  private static final String POLICIES =
      """
      decision_wait: 15s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  @Test
  void rebuiltTracesAreDecidedWithoutNewInput() throws Exception {
    StreamsKit.Child app = StreamsKit.child(kafka, APP, dir, POLICIES);
    int port = app.adminPort();
    TopicCatalog topics = app.topics();
    List<TraceLoad.Trace> sent = TraceLoad.traces(TRACES, 0.2, 3, 7);
    Process first = app.start(dir.resolve("first.log"));
    try {
      // Produce once the app runs, so every trace is in flight well inside decision_wait.
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == 0, 120);
      TraceLoad.produce(
          kafka.bootstrapServers(), topics.name(Topic.TRACES), sent, System.currentTimeMillis());
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == TRACES, 60);
      Thread.sleep(1000); // several commits (200 ms): offsets and watermarks committed
      assertThat(StreamsKit.metric(port, "otelstream_streams_traces_decided_total"))
          .as("killed before any trace was due")
          .isZero();
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL
    }
    Process second = app.start(dir.resolve("second.log"));
    try {
      Set<String> keys = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
      try {
        TraceLoad.awaitSlowly(() -> Outcome.decisions(kafka, APP).keySet().containsAll(keys), 90);
      } finally {
        java.nio.file.Files.copy(
            dir.resolve("second.log"),
            Path.of("target", "IdleRestartIT-second.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Outcome.assertExactlyOnce(kafka, APP, topics.name(Topic.TRACES_SAMPLED), Set.copyOf(sent));
    } finally {
      second.destroy();
      second.waitFor();
    }
  }
}
