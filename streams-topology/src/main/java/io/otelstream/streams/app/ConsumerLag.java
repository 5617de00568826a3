package io.otelstream.streams.app;

import io.otelstream.streams.traces.InputLag;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Input lag from the main consumer's own {@code records-lag} metric (as of its last fetch). The
 * client metrics are copied into a new map on every read, so they are read at most once a second
 * for all partitions together.
 */
final class ConsumerLag implements InputLag {
  private static final long REFRESH_MS = 1000;

  private volatile KafkaStreams streams;
  private volatile Map<TopicPartition, Long> lags = Map.of();
  private volatile long readAtMs;

  void attach(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public long of(TopicPartition partition) {
    long now = System.currentTimeMillis();
    if (now - readAtMs >= REFRESH_MS) {
      refresh();
      readAtMs = now;
    }
    return lags.getOrDefault(partition, -1L);
  }

  private synchronized void refresh() {
    KafkaStreams s = streams;
    if (s == null) {
      return;
    }
    Map<TopicPartition, Long> out = new java.util.HashMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : s.metrics().entrySet()) {
      MetricName n = e.getKey();
      String topic = n.tags().get("topic");
      String p = n.tags().get("partition");
      if (n.name().equals("records-lag")
          && topic != null
          && p != null
          && e.getValue().metricValue() instanceof Double v
          && !v.isNaN()) {
        out.merge(new TopicPartition(topic, Integer.parseInt(p)), v.longValue(), Math::max);
      }
    }
    lags = out;
  }
}
