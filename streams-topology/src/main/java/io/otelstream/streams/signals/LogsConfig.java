package io.otelstream.streams.signals;

import java.util.List;

/**
 * Log filtering.
 *
 * @param minSeverity drop records below this severity number (1..24) or name (TRACE, DEBUG, INFO,
 *     WARN, ERROR, FATAL); records without a severity are kept (default: keep all)
 * @param dropBodyRegex drop records whose string body matches any of these (find, not full match)
 * @param dropAttributes drop records with an attribute equal to one of the values
 * @param deleteAttributes delete these attributes from the records that remain
 */
public record LogsConfig(
    String minSeverity,
    List<String> dropBodyRegex,
    List<AttributeMatch> dropAttributes,
    List<String> deleteAttributes) {

  public LogsConfig {
    dropBodyRegex = dropBodyRegex != null ? List.copyOf(dropBodyRegex) : List.of();
    dropAttributes = dropAttributes != null ? List.copyOf(dropAttributes) : List.of();
    deleteAttributes = deleteAttributes != null ? List.copyOf(deleteAttributes) : List.of();
    for (String r : dropBodyRegex) {
      try {
        java.util.regex.Pattern.compile(r);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "drop_body_regex: invalid regular expression '" + r + "': " + e.getDescription());
      }
    }
    if (minSeverity != null) {
      severityNumber(minSeverity);
    }
  }

  public static LogsConfig passThrough() {
    return new LogsConfig(null, null, null, null);
  }

  /** An attribute key and the values that drop a record. */
  public record AttributeMatch(String key, List<String> values) {
    public AttributeMatch {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("key is required");
      }
      if (values == null || values.isEmpty()) {
        throw new IllegalArgumentException("values: list at least one value");
      }
      values = List.copyOf(values);
    }
  }

  /**
   * The OTLP severity number of a name (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, the first number of
   * their range, or with the range's 2..4 appended, e.g. INFO2, as the Collector accepts) or a
   * number 1..24.
   */
  public static int severityNumberOf(String text) {
    String s = text.trim().toUpperCase(java.util.Locale.ROOT);
    if (s.length() > 1 && s.charAt(s.length() - 1) >= '2' && s.charAt(s.length() - 1) <= '4') {
      String base = s.substring(0, s.length() - 1);
      if (!base.chars().allMatch(Character::isDigit)) {
        return severityNumber(base) + (s.charAt(s.length() - 1) - '1');
      }
    }
    return severityNumber(s);
  }

  /** The OTLP severity number of a name or number; names map to the first number of their range. */
  static int severityNumber(String text) {
    String s = text.trim().toUpperCase(java.util.Locale.ROOT);
    switch (s) {
      case "TRACE":
        return 1;
      case "DEBUG":
        return 5;
      case "INFO":
        return 9;
      case "WARN":
        return 13;
      case "ERROR":
        return 17;
      case "FATAL":
        return 21;
      default:
        try {
          int n = Integer.parseInt(s);
          if (n >= 1 && n <= 24) {
            return n;
          }
        } catch (NumberFormatException ignored) {
          // fall through to the error
        }
        throw new IllegalArgumentException(
            "min_severity must be TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1..24, was " + text);
    }
  }
}
