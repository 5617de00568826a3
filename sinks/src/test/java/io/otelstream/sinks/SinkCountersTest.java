package io.otelstream.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.otelstream.schemas.metrics.MetricNames;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

/**
 * One Connect worker holds one Metrics registry for every task it runs: the traces, metrics and
 * logs sinks (and several tasks of one connector) each count only what they sent.
 */
class SinkCountersTest {

  @Test
  void tasksInOneWorkerCountApart() throws Exception {
    try (Metrics worker = new Metrics()) {
      PluginMetricsImpl traces =
          new PluginMetricsImpl(worker, Map.of("connector", "otelstream-traces", "task", "0"));
      PluginMetricsImpl logs =
          new PluginMetricsImpl(worker, Map.of("connector", "otelstream-logs", "task", "0"));
      PluginMetricsImpl logs2 =
          new PluginMetricsImpl(worker, Map.of("connector", "otelstream-logs", "task", "1"));
      SinkCounters traceCounters = new SinkCounters(traces, "traces");
      SinkCounters logCounters = new SinkCounters(logs, "logs");
      SinkCounters logCounters2 = new SinkCounters(logs2, "logs");

      traceCounters.sent(7, 700, 1_000_000);
      logCounters.sent(3, 300, 1_000_000);
      logCounters2.deadLettered("too_large", 2);
      logCounters.deadLettered("too_large", 1);

      String sent = MetricNames.SINK_RECORDS_SENT_TOTAL.name();
      assertEquals(7.0, value(worker, sent, "otelstream-traces", "0"));
      assertEquals(3.0, value(worker, sent, "otelstream-logs", "0"));
      assertEquals(0.0, value(worker, sent, "otelstream-logs", "1"));
      String deadLettered = MetricNames.SINK_RECORDS_DEADLETTERED_TOTAL.name();
      assertEquals(1.0, value(worker, deadLettered, "otelstream-logs", "0"));
      assertEquals(2.0, value(worker, deadLettered, "otelstream-logs", "1"));
      traces.close();
      logs.close();
      logs2.close();
    }
  }

  private static double value(Metrics metrics, String name, String connector, String task) {
    double total = 0;
    for (Map.Entry<MetricName, KafkaMetric> e : metrics.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals(name)
          && connector.equals(n.tags().get("connector"))
          && task.equals(n.tags().get("task"))) {
        total += ((Number) e.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }
}
