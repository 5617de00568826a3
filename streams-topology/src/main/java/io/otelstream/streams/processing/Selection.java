package io.otelstream.streams.processing;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An include and an exclude: an item is selected when it matches the include (or there is none) and
 * does not match the exclude, as the Collector's processors decide it.
 */
record Selection(ItemMatcher include, ItemMatcher exclude) {

  static Selection forSpans(MatchProperties include, MatchProperties exclude) {
    return of(include, exclude, ItemMatcher::forSpans, "spans");
  }

  static Selection forMetrics(MatchProperties include, MatchProperties exclude) {
    return of(include, exclude, ItemMatcher::forMetrics, "metrics");
  }

  static Selection forLogs(MatchProperties include, MatchProperties exclude) {
    return of(include, exclude, ItemMatcher::forLogs, "logs");
  }

  private static Selection of(
      MatchProperties include,
      MatchProperties exclude,
      Function<MatchProperties, ItemMatcher> compile,
      String signal) {
    return new Selection(
        compile(include, compile, "include", signal), compile(exclude, compile, "exclude", signal));
  }

  private static ItemMatcher compile(
      MatchProperties p,
      Function<MatchProperties, ItemMatcher> compile,
      String key,
      String signal) {
    if (p == null) {
      return null;
    }
    try {
      return compile.apply(p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " (for " + signal + "): " + e.getMessage(), e);
    }
  }

  boolean selects(Predicate<ItemMatcher> matches) {
    return (include == null || matches.test(include))
        && (exclude == null || !matches.test(exclude));
  }
}
