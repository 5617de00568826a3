package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  void scalingOutAndInKeepsEveryTraceWhole() throws Exception {
    StreamsAppConfig a = config("a");
    TopicCatalog topics = StreamsKit.applyTopics(kafka, a);
    Set<TraceLoad.Trace> sent = ConcurrentHashMap.newKeySet();
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread load =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(kafka.bootstrapServers())) {
                long seed = 0;
                while (loading.get()) {
                  // 50 traces of 3 fragments, the fragments 100 ms apart: steady, interleaved load.
                  List<TraceLoad.Trace> batch = TraceLoad.traces(50, 0.2, 3, seed++);
                  for (int f = 0; f < 3; f++) {
                    for (TraceLoad.Trace t : batch) {
                      p.send(
                          new ProducerRecord<>(
                              topics.name(Topic.TRACES),
                              null,
                              System.currentTimeMillis(),
                              t.key().getBytes(),
                              TraceLoad.fragment(t, f)));
                    }
                    p.flush();
                    Thread.sleep(100);
                  }
                  sent.addAll(batch);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "rescale-load");

    try (StreamsApp first = StreamsApp.start(a)) {
      load.start();
      TraceLoad.await(() -> sent.size() >= 500, 60);
      try (StreamsApp second = StreamsApp.start(config("b"))) {
        TraceLoad.await(() -> sent.size() >= 1500, 60);
      }
      TraceLoad.await(() -> sent.size() >= 2500, 60);
      loading.set(false);
      load.join();
      TraceLoad.await(
          () -> StreamsKit.metric(first.adminPort(), "otelstream_streams_traces_in_flight") == 0,
          60);
      long errors = sent.stream().filter(TraceLoad.Trace::error).count();
      TraceLoad.await(() -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() >= errors, 60);
    }
    Map<String, Integer> records = new HashMap<>();
    Map<String, List<Long>> kept =
        StreamsKit.keptSpans(kafka.readAll(topics.name(Topic.TRACES_SAMPLED)), records);
    Set<String> expected = new java.util.HashSet<>();
    sent.stream().filter(TraceLoad.Trace::error).forEach(t -> expected.add(t.key()));
    assertThat(kept.keySet()).isEqualTo(expected);
    kept.forEach(
        (trace, spans) ->
            assertThat(spans).as("spans of %s", trace).containsExactlyInAnyOrder(0L, 1L, 2L));
    assertThat(records)
        .allSatisfy((trace, n) -> assertThat(n).as("records of %s", trace).isEqualTo(1));
  }
}
