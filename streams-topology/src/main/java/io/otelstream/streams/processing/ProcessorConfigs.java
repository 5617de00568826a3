package io.otelstream.streams.processing;

import java.util.List;
import java.util.Map;

/**
 * The configuration shapes of the Collector processors otelstream runs, keyed as the Collector's.
 */
public final class ProcessorConfigs {
  private ProcessorConfigs() {}

  /** {@code attributes}: actions on span, data-point or log-record attributes. */
  public record Attributes(
      List<ActionConfig> actions, MatchProperties include, MatchProperties exclude) {
    public Attributes {
      if (actions == null || actions.isEmpty()) {
        throw new IllegalArgumentException("actions: list at least one action");
      }
      actions = List.copyOf(actions);
    }
  }

  /** {@code resource}: actions on resource attributes. */
  public record Resource(List<ActionConfig> attributes) {
    public Resource {
      if (attributes == null || attributes.isEmpty()) {
        throw new IllegalArgumentException("attributes: list at least one action");
      }
      attributes = List.copyOf(attributes);
    }
  }

  /**
   * {@code filter} in its include/exclude shapes ({@code spans}, {@code metrics}, {@code logs});
   * OTTL conditions ({@code traces}, {@code metrics.metric}, {@code metrics.datapoint}, {@code
   * logs.log_record}) fail with the include/exclude equivalent to use.
   */
  public record Filter(
      String errorMode, Section spans, Section metrics, Section logs, Object traces) {
    public Filter {
      if (traces != null) {
        throw new IllegalArgumentException(ottl("traces (span, spanevent)", "spans"));
      }
      if (errorMode != null && !List.of("propagate", "ignore", "silent").contains(errorMode)) {
        throw new IllegalArgumentException(
            "error_mode must be propagate, ignore or silent, was " + errorMode);
      }
    }
  }

  /** One signal's include and exclude of a {@link Filter}. */
  public record Section(
      MatchProperties include,
      MatchProperties exclude,
      Object metric,
      Object datapoint,
      Object logRecord) {
    public Section {
      if (metric != null || datapoint != null) {
        throw new IllegalArgumentException(ottl("metric and datapoint", "metrics"));
      }
      if (logRecord != null) {
        throw new IllegalArgumentException(ottl("log_record", "logs"));
      }
    }
  }

  /**
   * {@code batch} and {@code memory_limiter}: accepted so that Collector pipelines paste, and not
   * needed (records are batched by Kafka; the edge bounds memory and answers 503 when full).
   */
  public record NotNeeded(Map<String, Object> settings) {}

  private static String ottl(String keys, String section) {
    return "OTTL conditions ("
        + keys
        + ") are not supported; use the legacy include/exclude shape under "
        + section
        + " (match_type strict or regexp)";
  }
}
