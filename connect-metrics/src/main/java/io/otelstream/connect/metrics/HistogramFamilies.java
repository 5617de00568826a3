package io.otelstream.connect.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * Histograms a plugin reports as Kafka metrics: cumulative {@code <name>-bucket} counts tagged
 * {@code le} (one per upper bound, {@code +Inf} last) and a {@code <name>-sum}. Served in the
 * Prometheus text format as {@code <name>_bucket}, {@code _sum} and {@code _count} (the +Inf
 * bucket), so {@code histogram_quantile} reads them; Micrometer's registry cannot take raw buckets.
 */
final class HistogramFamilies {
  private final Map<MetricName, Series> series = new ConcurrentHashMap<>();

  private record Series(String family, String part, KafkaMetric metric) {}

  /** Takes the metric if it is a histogram part ({@code name} is its Prometheus-style name). */
  boolean add(String dottedName, KafkaMetric metric) {
    String name = dottedName.replace('.', '_');
    if (name.endsWith("_bucket") && metric.metricName().tags().containsKey("le")) {
      series.put(
          metric.metricName(), new Series(name.substring(0, name.length() - 7), "bucket", metric));
      return true;
    }
    if (name.endsWith("_seconds_sum")) {
      series.put(
          metric.metricName(), new Series(name.substring(0, name.length() - 4), "sum", metric));
      return true;
    }
    return false;
  }

  void remove(KafkaMetric metric) {
    series.remove(metric.metricName());
  }

  /** Every histogram family, or only those named (by family or by a bucket/count/sum series). */
  String scrape(java.util.Set<String> names) {
    Map<String, TreeMap<String, String>> byFamily = new TreeMap<>();
    for (Series s : series.values()) {
      if (!names.isEmpty()
          && !names.contains(s.family())
          && !names.contains(s.family() + "_bucket")
          && !names.contains(s.family() + "_count")
          && !names.contains(s.family() + "_sum")) {
        continue;
      }
      Map<String, String> tags = new TreeMap<>();
      s.metric().metricName().tags().forEach((k, v) -> tags.put(k.replace('-', '_'), v));
      TreeMap<String, String> lines = byFamily.computeIfAbsent(s.family(), f -> new TreeMap<>());
      double value = PrometheusMetricsReporter.value(s.metric());
      if (s.part().equals("bucket")) {
        boolean inf = "+Inf".equals(tags.get("le"));
        lines.put(s.family() + "_bucket" + labels(tags), format(value));
        if (inf) {
          tags.remove("le");
          lines.put(s.family() + "_count" + labels(tags), format(value));
        }
      } else {
        lines.put(s.family() + "_sum" + labels(tags), format(value));
      }
    }
    StringBuilder out = new StringBuilder();
    byFamily.forEach(
        (family, lines) -> {
          out.append("# TYPE ").append(family).append(" histogram\n");
          lines.forEach(
              (series, value) -> out.append(series).append(' ').append(value).append('\n'));
        });
    return out.toString();
  }

  private static String labels(Map<String, String> tags) {
    StringBuilder b = new StringBuilder("{");
    tags.forEach(
        (k, v) -> {
          if (b.length() > 1) {
            b.append(',');
          }
          b.append(k)
              .append("=\"")
              .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
              .append('"');
        });
    return b.append('}').toString();
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "NaN" : Double.toString(v);
  }
}
