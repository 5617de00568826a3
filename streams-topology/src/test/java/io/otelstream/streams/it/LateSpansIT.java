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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Late spans follow the cached decision while the cache holds it, and are counted. */
class LateSpansIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  @Test
  void lateSpansFollowTheDecision() throws Exception {
    StreamsAppConfig config =
        StreamsKit.config(
            StreamsKit.yaml(
                kafka,
                "late",
                dir,
                0,
                "{prefix: late., replication_factor: 1, min_insync_replicas: 1}",
                "decision_wait: 2s\ndecision_cache: {ttl: 10m}\npolicies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]\n"));
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    // Two fragments per trace; the first is sent now, the second arrives after the decision.
    List<TraceLoad.Trace> traces = TraceLoad.traces(40, 0.5, 2, 5);
    long kept = traces.stream().filter(TraceLoad.Trace::error).count();
    try (StreamsApp app = StreamsApp.start(config);
        KafkaProducer<byte[], byte[]> producer = TraceLoad.producer(kafka.bootstrapServers())) {
      // The error sits on the last fragment, so send it first: the decision is made on it.
      for (TraceLoad.Trace t : traces) {
        producer.send(
            new ProducerRecord<>(
                topics.name(Topic.TRACES),
                null,
                System.currentTimeMillis(),
                t.key().getBytes(),
                TraceLoad.fragment(t, 1)));
      }
      producer.flush();
      TraceLoad.await(
          () ->
              StreamsKit.metric(app.adminPort(), "otelstream_streams_traces_decided_total")
                  == traces.size(),
          60);
      for (TraceLoad.Trace t : traces) {
        producer.send(
            new ProducerRecord<>(
                topics.name(Topic.TRACES),
                null,
                System.currentTimeMillis(),
                t.key().getBytes(),
                TraceLoad.fragment(t, 0)));
      }
      producer.flush();
      TraceLoad.await(
          () ->
              StreamsKit.metric(app.adminPort(), "otelstream_streams_late_spans_total")
                  == traces.size(),
          60);
      assertThat(
              StreamsKit.metric(
                  app.adminPort(), "otelstream_streams_late_spans_total{outcome=\"kept\""))
          .isEqualTo(kept);
      assertThat(
              StreamsKit.metric(
                  app.adminPort(), "otelstream_streams_late_spans_total{outcome=\"dropped\""))
          .isEqualTo(traces.size() - kept);
      TraceLoad.await(
          () -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() == 2 * kept, 60);
    }
    Map<String, Integer> records = new HashMap<>();
    Map<String, List<Long>> spans =
        StreamsKit.keptSpans(kafka.readAll(topics.name(Topic.TRACES_SAMPLED)), records);
    assertThat(spans).hasSize((int) kept);
    spans.values().forEach(s -> assertThat(s).containsExactly(1L, 0L));
  }
}
