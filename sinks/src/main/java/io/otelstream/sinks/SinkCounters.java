package io.otelstream.sinks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;

/** Per-task metrics through Connect's plugin metrics (JMX and any configured reporter). */
final class SinkCounters {
  private final PluginMetrics metrics;
  private final LinkedHashMap<String, String> tags;
  private final Map<String, Sensor> byReason = new java.util.HashMap<>();
  private final Sensor records;
  private final Sensor bytes;
  private final Sensor batches;
  private final Sensor latency;

  SinkCounters(PluginMetrics metrics, String signal) {
    this.metrics = metrics;
    this.tags = new LinkedHashMap<>(Map.of("signal", signal));
    this.records = sum("records-sent-total", "Records accepted by the backend");
    this.bytes = sum("bytes-sent-total", "Record bytes accepted by the backend");
    this.batches = sum("batches-sent-total", "Batches accepted by the backend");
    if (metrics == null) {
      this.latency = null;
    } else {
      this.latency = metrics.addSensor("backend-latency");
      latency.add(
          metrics.metricName("backend-latency-avg-ms", "Average backend latency of a batch", tags),
          new Avg());
      latency.add(
          metrics.metricName("backend-latency-max-ms", "Maximum backend latency of a batch", tags),
          new Max());
    }
  }

  private Sensor sum(String name, String description) {
    if (metrics == null) {
      return null;
    }
    Sensor s = metrics.addSensor(name);
    s.add(metrics.metricName(name, description, tags), new CumulativeSum());
    return s;
  }

  void sent(int n, long byteCount, long nanos) {
    if (metrics != null) {
      records.record(n);
      bytes.record(byteCount);
      batches.record(1);
      latency.record(nanos / 1e6);
    }
  }

  void failed(String reason) {
    count("batches-failed-total", "Batches the backend refused, by reason", reason, 1);
  }

  void droppedItems(String reason, long n) {
    count(
        "items-dropped-total",
        "Spans, data points or log records not stored although their batch was accepted, by reason",
        reason,
        (int) n);
  }

  void deadLettered(String reason, int n) {
    count(
        "records-deadlettered-total",
        "Records sent to the dead-letter queue, by reason",
        reason,
        n);
  }

  private void count(String name, String description, String reason, int n) {
    if (metrics == null) {
      return;
    }
    LinkedHashMap<String, String> t = new LinkedHashMap<>(tags);
    t.put("reason", reason);
    Sensor s =
        byReason.computeIfAbsent(
            name + "-" + reason,
            sensorName -> {
              Sensor created = metrics.addSensor(sensorName);
              created.add(metrics.metricName(name, description, t), new CumulativeSum());
              return created;
            });
    s.record(n);
  }
}
