package io.otelstream.streams.processing;

import java.util.List;

/**
 * What an {@code include} or {@code exclude} of the Collector's {@code attributes} and legacy
 * {@code filter} processors matches: every property given must match. The keys are the Collector's,
 * both the attributes processor's ({@code services}, {@code span_names}, {@code span_kinds}, {@code
 * attributes}, {@code resources}, {@code libraries}, {@code log_bodies}, {@code
 * log_severity_texts}, {@code log_severity_number}, {@code metric_names}) and the filter
 * processor's names for the same properties ({@code resource_attributes}, {@code
 * record_attributes}, {@code bodies}, {@code severity_texts}, {@code severity_number}).
 *
 * @param matchType {@code strict} (equal) or {@code regexp} (Go syntax, searched, not anchored)
 * @param regexp the Collector's regexp cache options; accepted, not needed
 */
public record MatchProperties(
    String matchType,
    RegexpOptions regexp,
    List<String> services,
    List<String> spanNames,
    List<String> spanKinds,
    List<AttributeMatch> attributes,
    List<AttributeMatch> recordAttributes,
    List<AttributeMatch> resources,
    List<AttributeMatch> resourceAttributes,
    List<Library> libraries,
    List<String> logBodies,
    List<String> bodies,
    List<String> logSeverityTexts,
    List<String> severityTexts,
    SeverityNumber logSeverityNumber,
    SeverityNumber severityNumber,
    List<String> metricNames,
    List<String> expressions) {

  public MatchProperties {
    if (matchType == null) {
      throw new IllegalArgumentException("match_type is required: strict or regexp");
    }
    if (matchType.equals("expr") || expressions != null) {
      throw new IllegalArgumentException(
          "match_type expr and expressions are not supported; match by metric_names and"
              + " resource_attributes with strict or regexp");
    }
    if (!matchType.equals("strict") && !matchType.equals("regexp")) {
      throw new IllegalArgumentException("match_type must be strict or regexp, was " + matchType);
    }
  }

  boolean regex() {
    return matchType.equals("regexp");
  }

  List<AttributeMatch> allAttributes() {
    return concat(attributes, recordAttributes);
  }

  List<AttributeMatch> allResources() {
    return concat(resources, resourceAttributes);
  }

  List<String> allBodies() {
    return concat(logBodies, bodies);
  }

  List<String> allSeverityTexts() {
    return concat(logSeverityTexts, severityTexts);
  }

  SeverityNumber severity() {
    return logSeverityNumber != null ? logSeverityNumber : severityNumber;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (a == null && b == null) {
      return List.of();
    }
    return java.util.stream.Stream.concat(
            a == null ? java.util.stream.Stream.empty() : a.stream(),
            b == null ? java.util.stream.Stream.empty() : b.stream())
        .toList();
  }

  /** An attribute key and, optionally, the value it must have (any value when absent). */
  public record AttributeMatch(String key, Object value) {
    public AttributeMatch {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("key is required");
      }
    }
  }

  /** An instrumentation scope name and, optionally, version. */
  public record Library(String name, String version) {
    public Library {
      if (name == null) {
        throw new IllegalArgumentException("name is required");
      }
    }
  }

  /**
   * Log records at or above {@code min} (a severity name such as INFO or a number 1..24); with
   * {@code match_undefined}, also records without a severity.
   */
  public record SeverityNumber(Object min, Boolean matchUndefined) {
    public SeverityNumber {
      if (min == null) {
        throw new IllegalArgumentException("min is required");
      }
      matchUndefined = matchUndefined != null && matchUndefined;
      number(min);
    }

    int minNumber() {
      return number(min);
    }

    private static int number(Object min) {
      return io.otelstream.streams.signals.LogsConfig.severityNumberOf(min.toString());
    }
  }

  /** Accepted for pasted configurations; Java's matcher needs no cache. */
  public record RegexpOptions(Boolean cacheenabled, Integer cachemaxnumentries) {}
}
