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
   * {@code redaction}: attributes not allowed are removed, values matching a blocked pattern (or of
   * a key matching a blocked key pattern) masked with {@code ****} or a hash, on resources, spans,
   * span events, data points, log records and log bodies.
   */
  public record Redaction(
      Boolean allowAllKeys,
      List<String> allowedKeys,
      List<String> ignoredKeys,
      List<String> blockedValues,
      List<String> allowedValues,
      List<String> blockedKeyPatterns,
      String hashFunction,
      String summary,
      Boolean redactAllTypes) {
    public Redaction {
      allowAllKeys = allowAllKeys != null && allowAllKeys;
      redactAllTypes = redactAllTypes != null && redactAllTypes;
      allowedKeys = allowedKeys != null ? List.copyOf(allowedKeys) : List.of();
      ignoredKeys = ignoredKeys != null ? List.copyOf(ignoredKeys) : List.of();
      blockedValues = blockedValues != null ? List.copyOf(blockedValues) : List.of();
      allowedValues = allowedValues != null ? List.copyOf(allowedValues) : List.of();
      blockedKeyPatterns = blockedKeyPatterns != null ? List.copyOf(blockedKeyPatterns) : List.of();
      hashFunction = hashFunction != null ? hashFunction.toLowerCase(java.util.Locale.ROOT) : "";
      if (!List.of("", "none", "md5", "sha1", "sha3").contains(hashFunction)) {
        throw new IllegalArgumentException(
            "hash_function must be md5, sha1 or sha3 (or unset: ****), was " + hashFunction);
      }
      summary = summary != null ? summary : "silent";
      if (!List.of("debug", "info", "silent").contains(summary)) {
        throw new IllegalArgumentException("summary must be debug, info or silent, was " + summary);
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
