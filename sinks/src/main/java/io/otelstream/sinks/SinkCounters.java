package io.otelstream.sinks;

import io.otelstream.schemas.metrics.MetricNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;

/** Per-task metrics through Connect's plugin metrics (JMX and any configured reporter). */
final class SinkCounters {
  /**
   * Sensor names are global in a worker's metrics registry (PluginMetrics only tags the metric
   * names), so each task's sensors carry a prefix of their own: a shared "records-sent-total"
   * sensor would add every task's records to every task's count.
   */
  private static final AtomicLong INSTANCES = new AtomicLong();

  private final String sensorPrefix = "otelstream-sink-" + INSTANCES.incrementAndGet() + "-";
  private final PluginMetrics metrics;
  private final LinkedHashMap<String, String> tags;
  private final Map<String, Sensor> byReason = new java.util.HashMap<>();
  private final Sensor records;
  private final Sensor bytes;
  private final Sensor batches;
  private final Sensor latency;

  /**
   * Upper bounds (seconds) of the backend latency histogram, served as cumulative {@code
   * backend-latency-seconds-bucket{le}} counts so Prometheus' histogram_quantile reads them.
   */
  static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, Double.POSITIVE_INFINITY
  };

  private final Sensor[] latencyBuckets = new Sensor[LATENCY_BUCKETS.length];
  private final Sensor latencySum;

  SinkCounters(PluginMetrics metrics, String signal) {
    this(metrics, signal, () -> 0, () -> 0);
  }

  /**
   * @param consecutiveFailures the task's failed attempts since its last delivered batch, served as
   *     the {@code backend-consecutive-failures} gauge: it drops to 0 on the first success, so an
   *     alert on it clears as soon as the backend is back.
   */
  SinkCounters(
      PluginMetrics metrics,
      String signal,
      IntSupplier consecutiveFailures,
      java.util.function.DoubleSupplier lagSeconds) {
    this.metrics = metrics;
    this.tags = new LinkedHashMap<>(Map.of("signal", signal));
    this.records =
        sum(MetricNames.SINK_RECORDS_SENT_TOTAL.name(), "Records accepted by the backend");
    this.bytes =
        sum(MetricNames.SINK_BYTES_SENT_TOTAL.name(), "Record bytes accepted by the backend");
    this.batches =
        sum(MetricNames.SINK_BATCHES_SENT_TOTAL.name(), "Batches accepted by the backend");
    if (metrics == null) {
      this.latency = null;
      this.latencySum = null;
    } else {
      this.latency = addSensor("backend-latency");
      latency.add(
          metrics.metricName(
              MetricNames.SINK_BACKEND_LATENCY_AVG_MS.name(),
              "Average backend latency of a batch",
              tags),
          new Avg());
      latency.add(
          metrics.metricName(
              MetricNames.SINK_BACKEND_LATENCY_MAX_MS.name(),
              "Maximum backend latency of a batch",
              tags),
          new Max());
      for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
        LinkedHashMap<String, String> t = new LinkedHashMap<>(tags);
        double le = LATENCY_BUCKETS[i];
        t.put("le", Double.isInfinite(le) ? "+Inf" : Double.toString(le));
        latencyBuckets[i] = addSensor("backend-latency-bucket-" + i);
        latencyBuckets[i].add(
            metrics.metricName(
                MetricNames.SINK_BACKEND_LATENCY_SECONDS_BUCKET.name(),
                "Batches whose backend latency was at most le seconds",
                t),
            new CumulativeSum());
      }
      latencySum =
          sum(
              MetricNames.SINK_BACKEND_LATENCY_SECONDS_SUM.name(),
              "Total backend latency of batches, seconds");
      metrics.addMetric(
          metrics.metricName(
              MetricNames.SINK_BACKEND_CONSECUTIVE_FAILURES.name(),
              "Failed attempts since the last batch the backend accepted",
              tags),
          (Measurable) (config, now) -> consecutiveFailures.getAsInt());
      metrics.addMetric(
          metrics.metricName(
              MetricNames.SINK_LAG_SECONDS.name(),
              "Age of the oldest record the task holds undelivered (0 when it holds none)",
              tags),
          (Measurable) (config, now) -> lagSeconds.getAsDouble());
    }
  }

  private Sensor addSensor(String name) {
    return metrics.addSensor(sensorPrefix + name);
  }

  private Sensor sum(String name, String description) {
    if (metrics == null) {
      return null;
    }
    Sensor s = addSensor(name);
    s.add(metrics.metricName(name, description, tags), new CumulativeSum());
    return s;
  }

  void sent(int n, long byteCount, long nanos) {
    if (metrics != null) {
      records.record(n);
      bytes.record(byteCount);
      batches.record(1);
      latency.record(nanos / 1e6);
      double seconds = nanos / 1e9;
      for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
        if (seconds <= LATENCY_BUCKETS[i]) {
          latencyBuckets[i].record(1);
        }
      }
      latencySum.record(seconds);
    }
  }

  void failed(String reason) {
    count(
        MetricNames.SINK_BATCHES_FAILED_TOTAL.name(),
        "Batches the backend refused, by reason",
        reason,
        1);
  }

  void droppedItems(String reason, long n) {
    count(
        MetricNames.SINK_ITEMS_DROPPED_TOTAL.name(),
        "Spans, data points or log records not stored although their batch was accepted, by reason",
        reason,
        (int) n);
  }

  void lostToRetention(org.apache.kafka.common.TopicPartition tp, long n) {
    if (metrics == null) {
      return;
    }
    String name = MetricNames.SINK_RECORDS_LOST_TO_RETENTION_TOTAL.name();
    byReason
        .computeIfAbsent(
            name + "-" + tp,
            sensorName -> {
              LinkedHashMap<String, String> t = new LinkedHashMap<>(tags);
              t.put("topic", tp.topic());
              t.put("partition", Integer.toString(tp.partition()));
              Sensor created = addSensor(sensorName);
              created.add(
                  metrics.metricName(
                      name,
                      "Offsets retention deleted before the sink read them (records lost), by"
                          + " topic and partition",
                      t),
                  new CumulativeSum());
              return created;
            })
        .record(n);
  }

  void deadLettered(String reason, int n) {
    count(
        MetricNames.SINK_RECORDS_DEADLETTERED_TOTAL.name(),
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
              Sensor created = addSensor(sensorName);
              created.add(metrics.metricName(name, description, t), new CumulativeSum());
              return created;
            });
    s.record(n);
  }
}
