package io.otelstream.streams.signals;

import java.util.List;

/**
 * Metric processing: name filters and attribute actions, the operations guides' way of keeping
 * series cardinality in check.
 *
 * @param include keep only metrics whose names match (default: all)
 * @param exclude drop metrics whose names match (default: none)
 * @param attributes actions on data-point attributes, in order
 * @param resourceAttributes actions on resource attributes, in order
 * @param keepOnlyAttributes when set, data-point attributes not listed are deleted
 * @param aggregation the stage that merges points whose series collapse (default on)
 * @param cardinality the guard that drops attributes with too many values and caps series per
 *     metric (default on)
 */
public record MetricsConfig(
    NameFilter include,
    NameFilter exclude,
    List<AttributeAction> attributes,
    List<AttributeAction> resourceAttributes,
    List<String> keepOnlyAttributes,
    io.otelstream.streams.aggregation.AggregationConfig aggregation,
    io.otelstream.streams.aggregation.CardinalityConfig cardinality) {

  public MetricsConfig {
    attributes = attributes != null ? List.copyOf(attributes) : List.of();
    resourceAttributes = resourceAttributes != null ? List.copyOf(resourceAttributes) : List.of();
    keepOnlyAttributes = keepOnlyAttributes != null ? List.copyOf(keepOnlyAttributes) : null;
    aggregation =
        aggregation != null
            ? aggregation
            : io.otelstream.streams.aggregation.AggregationConfig.defaults();
    cardinality =
        cardinality != null
            ? cardinality
            : io.otelstream.streams.aggregation.CardinalityConfig.defaults();
    if (cardinality.enabled() && !aggregation.enabled()) {
      throw new IllegalArgumentException(
          "cardinality.enabled needs aggregation.enabled: a dropped attribute is merged in the"
              + " aggregation stage (set cardinality: {enabled: false} to turn the guard off)");
    }
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(null, null, null, null, null, null, null);
  }

  /** Metric names to match, exactly ({@code strict}) or by regular expression ({@code regexp}). */
  public record NameFilter(String matchType, List<String> metricNames) {
    public NameFilter {
      matchType = matchType != null ? matchType : "strict";
      if (!matchType.equals("strict") && !matchType.equals("regexp")) {
        throw new IllegalArgumentException("match_type must be strict or regexp, was " + matchType);
      }
      if (metricNames == null || metricNames.isEmpty()) {
        throw new IllegalArgumentException("metric_names: list at least one name");
      }
      metricNames = List.copyOf(metricNames);
      if (matchType.equals("regexp")) {
        for (String n : metricNames) {
          try {
            java.util.regex.Pattern.compile(n);
          } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(
                "metric_names: invalid regular expression '" + n + "': " + e.getDescription());
          }
        }
      }
    }
  }

  /** {@code delete} removes the attribute; {@code hash} replaces its value by its SHA-256 hex. */
  public record AttributeAction(String key, String action) {
    public AttributeAction {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("key is required");
      }
      if (!"delete".equals(action) && !"hash".equals(action)) {
        throw new IllegalArgumentException("action must be delete or hash, was " + action);
      }
    }
  }
}
