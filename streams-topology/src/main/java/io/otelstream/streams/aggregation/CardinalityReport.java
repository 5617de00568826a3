package io.otelstream.streams.aggregation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the aggregation stage's tasks of this instance know about series and the guard, refreshed at
 * each emission: served as JSON on the admin port ({@code /cardinality}) and read by {@code
 * otelstream cardinality}.
 */
public final class CardinalityReport {
  /** One attribute the guard dropped. */
  public record DroppedAttribute(String attribute, long sinceMs, int distinctValues) {}

  /** One attribute's distinct values in the current window. */
  public record AttributeValues(String attribute, int distinctValues) {}

  /** One metric of one tenant. */
  public record MetricEntry(
      String tenant,
      String metric,
      int activeSeries,
      Long overflowSinceMs,
      long overflowPoints,
      List<DroppedAttribute> dropped,
      List<AttributeValues> attributes) {}

  private final Map<String, List<MetricEntry>> byTask = new ConcurrentHashMap<>();

  void publish(String task, List<MetricEntry> entries) {
    byTask.put(task, List.copyOf(entries));
  }

  void forget(String task) {
    byTask.remove(task);
  }

  /** Every metric this instance aggregates, most active series first. */
  public List<MetricEntry> metrics() {
    List<MetricEntry> all = new ArrayList<>();
    byTask.values().forEach(all::addAll);
    all.sort(
        Comparator.comparingInt(MetricEntry::activeSeries)
            .reversed()
            .thenComparing(MetricEntry::metric));
    return all;
  }

  public long activeSeries() {
    return metrics().stream().mapToLong(MetricEntry::activeSeries).sum();
  }

  public long droppedAttributes() {
    return metrics().stream().mapToLong(m -> m.dropped().size()).sum();
  }

  public long overflowingMetrics() {
    return metrics().stream().filter(m -> m.overflowSinceMs() != null).count();
  }
}
