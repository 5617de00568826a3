package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app per signal, as the chart's perSignal mode runs them: a traces app and a logs app on the
 * same topics, each with its own application id. Each processes its signal and consumes only its
 * signal's topic, so each scales on its own lag.
 */
class PerSignalIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 1s
      policies: [{name: all, type: always_sample}]
      """;

  private StreamsAppConfig config(String signal) {
    return StreamsKit.config(
        StreamsKit.yaml(
                kafka,
                "ps-" + signal,
                dir.resolve(signal),
                0,
                "{prefix: ps., replication_factor: 1, min_insync_replicas: 1}",
                POLICIES)
            + "signals: ["
            + signal
            + "]\n");
  }

  @Test
  void eachAppProcessesAndConsumesOnlyItsSignal() throws Exception {
    StreamsAppConfig traces = config("traces");
    StreamsAppConfig logs = config("logs");
    TopicCatalog topics = StreamsKit.applyTopics(kafka, traces);
    try (StreamsApp tracesApp = StreamsApp.start(traces);
        StreamsApp logsApp = StreamsApp.start(logs)) {
      List<TraceLoad.Trace> sent = TraceLoad.traces(20, 0, 1, 3);
      TraceLoad.produce(
          kafka.bootstrapServers(), topics.name(Topic.TRACES), sent, System.currentTimeMillis());
      TraceLoad.awaitSlowly(
          () -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() >= sent.size(), 60);
      assertThat(
              StreamsKit.metric(tracesApp.adminPort(), "otelstream_streams_traces_decided_total"))
          .isEqualTo(sent.size());
      assertThat(StreamsKit.metric(logsApp.adminPort(), "otelstream_streams_traces_decided_total"))
          .as("the logs app decides no trace")
          .isZero();
      // Dead-letter reasons are served at 0 from the start, for the app's own signal only.
      String logsMetrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://localhost:" + logsApp.adminPort() + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(logsMetrics)
          .contains(
              "otelstream_streams_deadletter_records_total{reason=\"undecodable\",topic=\"logs\"} 0.0")
          .doesNotContain("reason=\"invalid_key\"");
      assertThat(consumed("ps-traces")).containsExactly(topics.name(Topic.TRACES));
      assertThat(consumed("ps-logs")).containsExactly(topics.name(Topic.LOGS));
    }
  }

  /** The topics a consumer group's members are assigned. */
  private static Set<String> consumed(String group) throws Exception {
    Set<String> out = new HashSet<>();
    TraceLoad.await(
        () -> {
          try (Admin admin = kafka.admin()) {
            out.clear();
            for (MemberDescription m :
                admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()) {
              m.assignment().topicPartitions().forEach(tp -> out.add(tp.topic()));
            }
            return !out.isEmpty();
          } catch (Exception e) {
            return false;
          }
        },
        60);
    return out;
  }
}
