package io.otelstream.streams.it;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Instances go 1 → 2 → 1 under steady load: no trace decided twice or split, no kept span lost. */
class RescaleIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 4s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  private StreamsAppConfig config(String instance) {
    return StreamsKit.config(
        StreamsKit.yaml(
            kafka,
            "rescale",
            dir.resolve(instance),
            0,
            "{prefix: rescale., replication_factor: 1, min_insync_replicas: 1}",
            POLICIES));
  }

  @Test
  void shouldKeepEveryTraceWholeWhenScalingOutAndIn() throws Exception {
    StreamsAppConfig a = config("a");
    TopicCatalog topics = StreamsKit.applyTopics(kafka, a);
    Set<TraceLoad.Trace> sent;
    try (StreamsApp first = StreamsApp.start(a);
        ContinuousLoad load =
            new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 0)) {
      TraceLoad.await(() -> load.sent() >= 500, 60);
      try (StreamsApp second = StreamsApp.start(config("b"))) {
        TraceLoad.await(
            () ->
                StreamsKit.metric(second.adminPort(), "otelstream_streams_traces_decided_total")
                    > 0,
            90);
        TraceLoad.await(() -> !second.activePartitions(topics.name(Topic.TRACES)).isEmpty(), 30);
        TraceLoad.await(() -> load.sent() >= 1500, 60);
      }
      TraceLoad.await(() -> load.sent() >= 2500, 60);
      load.close();
      sent = load.traces();
      Set<String> all = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
      TraceLoad.awaitSlowly(
          () -> Outcome.decisions(kafka, "rescale").keySet().containsAll(all), 90);
      long errors = sent.stream().filter(TraceLoad.Trace::error).count();
      TraceLoad.awaitSlowly(
          () -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() >= errors, 60);
    }
    Outcome.assertExactlyOnce(kafka, "rescale", topics.name(Topic.TRACES_SAMPLED), sent);
  }
}
