package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregation stage scaled out to a second instance and back in under continuous sends: the
 * metrics' tasks move with their changelogged state, and every aggregate (eight metrics, so their
 * tasks spread over both instances) never decreases and ends equal to what the senders counted.
 */
class MetricsRescaleIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final int METRICS = 8;

  private StreamsAppConfig config(String instance) {
    return StreamsKit.config(
        StreamsKit.yaml(
                kafka,
                "metrics-rescale",
                dir.resolve(instance),
                0,
                "{prefix: mrescale., replication_factor: 1, min_insync_replicas: 1}",
                "policies: [{name: all, type: always_sample}]")
            + """
            metrics:
              attributes: [{key: user_id, action: delete}]
              resource_attributes: [{key: service.instance.id, action: delete}]
              aggregation: {interval: 500ms, staleness: 120s}
            """);
  }

  @Test
  void aggregatesStayExactWhenScalingOutAndIn() throws Exception {
    StreamsAppConfig a = config("a");
    TopicCatalog topics = StreamsKit.applyTopics(kafka, a);
    String out = topics.name(Topic.METRICS_PROCESSED);
    long truth;
    try (StreamsApp first = StreamsApp.start(a);
        MetricLoad load =
            new MetricLoad(kafka.bootstrapServers(), topics.name(Topic.METRICS), 3, METRICS, 7)) {
      TraceLoad.await(
          () ->
              StreamsKit.metric(first.adminPort(), "otelstream_streams_metric_series_emitted_total")
                  > 0,
          90);
      try (StreamsApp second = StreamsApp.start(config("b"))) {
        TraceLoad.await(
            () ->
                StreamsKit.metric(
                        second.adminPort(), "otelstream_streams_metric_points_aggregated_total")
                    > 0,
            90);
        Thread.sleep(2000); // both instances aggregate under load
      }
      TraceLoad.await(
          () ->
              StreamsKit.metric(first.adminPort(), "otelstream_streams_metric_series_emitted_total")
                  > 0,
          30);
      Thread.sleep(2000); // the first instance took the tasks back and goes on
      load.close();
      truth = load.truth();
      for (int k = 0; k < METRICS; k++) {
        String name = MetricLoad.name(k);
        TraceLoad.awaitSlowly(() -> last(kafka.readAll(out), name) == truth, 120);
      }
    }
    for (int k = 0; k < METRICS; k++) {
      List<Double> values = MetricsCrashIT.aggregate(kafka.readAll(out), MetricLoad.name(k));
      for (int i = 1; i < values.size(); i++) {
        assertThat(values.get(i))
            .as("%s point %d of %d never decreases", MetricLoad.name(k), i, values.size())
            .isGreaterThanOrEqualTo(values.get(i - 1));
      }
      assertThat(MetricsCrashIT.lastValue(values)).isEqualTo((double) truth);
    }
  }

  private static double last(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records, String name) {
    try {
      return MetricsCrashIT.lastValue(MetricsCrashIT.aggregate(records, name));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
