package io.otelstream.streams.processing;

import java.util.Locale;

/**
 * One action of the Collector's {@code attributes} (and {@code resource}) processor, with its keys:
 * {@code key}, {@code action} (insert, update, upsert, delete, hash, extract, convert), {@code
 * value}, {@code from_attribute}, {@code from_context}, {@code pattern}, {@code converted_type}.
 * The same combinations are refused as by the Collector, with its reasons.
 */
public record ActionConfig(
    String key,
    String action,
    Object value,
    String fromAttribute,
    String fromContext,
    String pattern,
    String convertedType) {

  public ActionConfig {
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException(
          "action is required: insert, update, upsert, delete, hash, extract or convert");
    }
    action = action.toLowerCase(Locale.ROOT);
    boolean hasKey = key != null && !key.isEmpty();
    boolean hasPattern = pattern != null && !pattern.isEmpty();
    int sources = (value != null ? 1 : 0) + (fromAttribute != null ? 1 : 0);
    if (fromContext != null) {
      throw new IllegalArgumentException(
          "from_context is not supported: the Collector reads it from the receiving request's"
              + " metadata, which otelstream's records do not carry past the edge; use"
              + " from_attribute or value");
    }
    switch (action) {
      case "insert", "update", "upsert" -> {
        require(hasKey, "key is required for action " + action);
        require(sources == 1, "action " + action + " needs exactly one of value, from_attribute");
        require(!hasPattern, "action " + action + " does not use pattern");
        require(convertedType == null, "action " + action + " does not use converted_type");
      }
      case "delete", "hash" -> {
        require(hasKey || hasPattern, "action " + action + " needs key or pattern (or both)");
        require(sources == 0, "action " + action + " does not use value or from_attribute");
        require(convertedType == null, "action " + action + " does not use converted_type");
        if (hasPattern) {
          GoRegex.compile(pattern);
        }
      }
      case "extract" -> {
        require(hasKey, "key is required for action extract");
        require(sources == 0, "action extract does not use value or from_attribute");
        require(hasPattern, "action extract needs pattern, with named groups");
        require(convertedType == null, "action extract does not use converted_type");
        GoRegex.NamedGroups.of(pattern);
      }
      case "convert" -> {
        require(hasKey, "key is required for action convert");
        require(sources == 0 && !hasPattern, "action convert uses only key and converted_type");
        require(
            "int".equals(convertedType)
                || "double".equals(convertedType)
                || "string".equals(convertedType),
            "action convert needs converted_type int, double or string, was " + convertedType);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown action '"
                  + action
                  + "': use insert, update, upsert, delete, hash, extract or convert");
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
