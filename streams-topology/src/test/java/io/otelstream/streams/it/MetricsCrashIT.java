package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregation stage under continuous sends from three senders that restart now and then, with
 * {@code user_id} and {@code service.instance.id} removed so that 15 source series collapse into
 * one: the streams JVM is killed with SIGKILL three times at random moments. The aggregate, read
 * committed, never decreases, and once the load stops it equals what the senders counted.
 */
class MetricsCrashIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String APP = "metrics-crash";
  private static final String METRICS =
      """
      metrics:
        attributes: [{key: user_id, action: delete}]
        resource_attributes: [{key: service.instance.id, action: delete}]
        aggregation: {interval: 500ms, staleness: 120s}
      """;

  @Test
  void totalsStayExactAndNeverDecreaseAcrossKills() throws Exception {
    StreamsKit.Child app =
        StreamsKit.child(kafka, APP, dir, "policies: [{name: all, type: always_sample}]", METRICS);
    int port = app.adminPort();
    TopicCatalog topics = app.topics();
    String out = topics.name(Topic.METRICS_PROCESSED);
    Path log = dir.resolve("streams.log");
    Random random = new Random(19);
    long truth;
    long restarts;
    try (MetricLoad load =
        new MetricLoad(kafka.bootstrapServers(), topics.name(Topic.METRICS), 3, 5)) {
      for (int kill = 1; kill <= 3; kill++) {
        Process instance = app.start(log);
        try {
          double before = StreamsKit.metric(port, "otelstream_streams_metric_series_emitted_total");
          TraceLoad.await(
              () ->
                  StreamsKit.metric(port, "otelstream_streams_metric_series_emitted_total")
                      > Math.max(before, 0) + 2,
              120);
          Thread.sleep(random.nextInt(2000)); // a random moment under load, transactions open
        } finally {
          instance.destroyForcibly().waitFor(); // SIGKILL
        }
      }
      load.close();
      truth = load.truth();
      restarts = load.restarts();
    }
    assertThat(restarts).as("senders restarted during the run (counter resets)").isPositive();

    Process last = app.start(log);
    try {
      TraceLoad.awaitSlowly(() -> lastAggregate(out) == truth, 180);
      List<Double> values = aggregate(kafka.readAll(out));
      for (int i = 1; i < values.size(); i++) {
        assertThat(values.get(i))
            .as("aggregate point %d of %d (committed) never decreases", i, values.size())
            .isGreaterThanOrEqualTo(values.get(i - 1));
      }
      assertThat(lastValue(values)).isEqualTo((double) truth);
    } finally {
      last.destroy();
      last.waitFor();
    }
  }

  private static double lastAggregate(String topic) {
    try {
      return lastValue(aggregate(kafka.readAll(topic)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static double lastValue(List<Double> values) {
    return values.isEmpty() ? -1 : values.get(values.size() - 1);
  }

  /** The aggregate series' values in the order they were committed. */
  static List<Double> aggregate(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    return aggregate(records, "requests");
  }

  /** The named aggregate's values in the order they were committed. */
  static List<Double> aggregate(List<ConsumerRecord<byte[], byte[]>> records, String name)
      throws Exception {
    List<Double> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      for (var rm : ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
        for (var sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            if (m.getName().equals(name) && m.getSum().getDataPoints(0).getFlags() == 0) {
              assertThat(m.getSum().getDataPoints(0).getAttributesCount()).isZero();
              values.add((double) m.getSum().getDataPoints(0).getAsInt());
            }
          }
        }
      }
    }
    return values;
  }
}
