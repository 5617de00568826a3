package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input processed under two application ids gives byte-identical output per partition:
 * record times spread, traces in three fragments read over many polls, some fragments after their
 * trace's deadline (late spans).
 */
class ReplayIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 5s
      policy_attribute: true
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
        - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 20, hash_salt: replay}}
        - {name: svc1, type: string_attribute, string_attribute: {key: service.name, values: ['svc-1$'], enabled_regex_matching: true}}
        - {name: no-svc2, type: drop, drop: {drop_sub_policy: [{name: svc2, type: string_attribute, string_attribute: {key: service.name, values: [svc-2]}}]}}
      """;

  private StreamsAppConfig config(String run) {
    String topics =
        "{prefix: replay., replication_factor: 1, min_insync_replicas: 1, "
            + "topics: {otlp-traces-sampled: {name: out-"
            + run
            + "}}}";
    return StreamsKit.config(
        StreamsKit.yaml(kafka, "replay-" + run, dir.resolve(run), 0, topics, POLICIES));
  }

  private Map<Integer, List<String>> run(String name, int traces) {
    StreamsAppConfig config = config(name);
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    try (StreamsApp app = StreamsApp.start(config)) {
      TraceLoad.await(
          () ->
              StreamsKit.metric(app.adminPort(), "otelstream_streams_traces_decided_total")
                  == traces,
          120);
      TraceLoad.await(
          () -> StreamsKit.metric(app.adminPort(), "otelstream_streams_traces_in_flight") == 0, 30);

      TraceLoad.await(() -> !kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).isEmpty(), 60);
      // Let the last transaction commit before reading.
      TraceLoad.await(() -> stable(topics.name(Topic.TRACES_SAMPLED)), 60);
      lateSpans.add(StreamsKit.metric(app.adminPort(), "otelstream_streams_late_spans_total"));
    }
    Map<Integer, List<String>> byPartition = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        kafka.readAll(config.topics().prefix() + "out-" + name)) {
      byPartition
          .computeIfAbsent(r.partition(), p -> new ArrayList<>())
          .add(new String(r.key()) + ":" + java.util.HexFormat.of().formatHex(r.value()));
    }
    return byPartition;
  }

  private int lastSize = -1;
  private final List<Double> lateSpans = new ArrayList<>();

  private boolean stable(String topic) {
    int size = kafka.readAll(topic).size();
    boolean same = size == lastSize;
    lastSize = size;
    return same;
  }

  @Test
  void replayingATopicReproducesEveryDecisionByteForByte() throws Exception {
    List<TraceLoad.Trace> traces = TraceLoad.traces(2_000, 0.1, 3, 11);
    StreamsAppConfig first = config("a");
    TopicCatalog topics = StreamsKit.applyTopics(kafka, first);
    TraceLoad.produceSpread(
        kafka.bootstrapServers(),
        topics.name(Topic.TRACES),
        traces,
        System.currentTimeMillis() - 120_000,
        8_000); // decision_wait is 5s: every tenth trace's last span comes late

    Map<Integer, List<String>> a = run("a", traces.size());
    lastSize = -1;
    Map<Integer, List<String>> b = run("b", traces.size());
    assertThat(a.values().stream().mapToInt(List::size).sum()).isGreaterThan(200);
    assertThat(lateSpans.get(0)).as("spans that came after their trace's decision").isPositive();
    assertThat(lateSpans.get(1)).isEqualTo(lateSpans.get(0));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (Integer p : a.keySet()) {
      assertThat(b.get(p)).as("partition %d", p).containsExactlyElementsOf(a.get(p));
    }
  }
}
