package io.otelstream.streams.app;

import io.otelstream.streams.traces.InputLag;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/** Input lag from the main consumer's own {@code records-lag} metric (as of its last fetch). */
final class ConsumerLag implements InputLag {
  private volatile KafkaStreams streams;

  void attach(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public long of(TopicPartition partition) {
    KafkaStreams s = streams;
    if (s == null) {
      return -1;
    }
    String p = Integer.toString(partition.partition());
    long lag = -1;
    for (Map.Entry<MetricName, ? extends Metric> e : s.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("records-lag")
          && partition.topic().equals(n.tags().get("topic"))
          && p.equals(n.tags().get("partition"))
          && e.getValue().metricValue() instanceof Double v
          && !v.isNaN()) {
        lag = Math.max(lag, v.longValue());
      }
    }
    return lag;
  }
}
