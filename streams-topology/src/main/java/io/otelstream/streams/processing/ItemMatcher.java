package io.otelstream.streams.processing;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One compiled {@link MatchProperties} for one signal: the properties the Collector accepts for
 * that signal, every one given must match. Keys that do not apply to the signal fail at startup.
 */
final class ItemMatcher {
  private final StringSet services;
  private final StringSet spanNames;
  private final StringSet spanKinds;
  private final List<AttributeTest> attributes;
  private final List<AttributeTest> resources;
  private final List<LibraryTest> libraries;
  private final StringSet bodies;
  private final StringSet severityTexts;
  private final MatchProperties.SeverityNumber severity;
  private final StringSet metricNames;

  private ItemMatcher(MatchProperties p) {
    boolean re = p.regex();
    services = StringSet.of(p.services(), re);
    spanNames = StringSet.of(p.spanNames(), re);
    spanKinds = StringSet.of(p.spanKinds(), re);
    attributes = p.allAttributes().stream().map(a -> new AttributeTest(a, re)).toList();
    resources = p.allResources().stream().map(a -> new AttributeTest(a, re)).toList();
    libraries =
        p.libraries() == null
            ? List.of()
            : p.libraries().stream().map(l -> new LibraryTest(l, re)).toList();
    bodies = StringSet.of(p.allBodies(), re);
    severityTexts = StringSet.of(p.allSeverityTexts(), re);
    severity = p.severity();
    metricNames = StringSet.of(p.metricNames(), re);
  }

  static ItemMatcher forSpans(MatchProperties p) {
    refuse(p.allBodies(), "log_bodies/bodies", "spans");
    refuse(p.allSeverityTexts(), "log_severity_texts/severity_texts", "spans");
    refuse(p.severity() == null ? null : List.of(p.severity()), "log_severity_number", "spans");
    refuse(p.metricNames(), "metric_names", "spans");
    ItemMatcher m = new ItemMatcher(p);
    if (m.services == null
        && m.spanNames == null
        && m.spanKinds == null
        && m.attributes.isEmpty()
        && m.resources.isEmpty()
        && m.libraries.isEmpty()) {
      throw new IllegalArgumentException(
          "give at least one of services, span_names, span_kinds, attributes, resources,"
              + " libraries");
    }
    if (m.spanKinds != null && !p.regex()) {
      for (String k : p.spanKinds()) {
        try {
          Span.SpanKind kind = Span.SpanKind.valueOf(k);
          if (kind == Span.SpanKind.UNRECOGNIZED || kind == Span.SpanKind.SPAN_KIND_UNSPECIFIED) {
            throw new IllegalArgumentException(k);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "span_kinds: '"
                  + k
                  + "' is not a span kind; use SPAN_KIND_INTERNAL, SPAN_KIND_SERVER,"
                  + " SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER or SPAN_KIND_CONSUMER");
        }
      }
    }
    return m;
  }

  static ItemMatcher forLogs(MatchProperties p) {
    refuse(p.services(), "services", "logs");
    refuse(p.spanNames(), "span_names", "logs");
    refuse(p.spanKinds(), "span_kinds", "logs");
    refuse(p.metricNames(), "metric_names", "logs");
    ItemMatcher m = new ItemMatcher(p);
    if (m.attributes.isEmpty()
        && m.resources.isEmpty()
        && m.libraries.isEmpty()
        && m.bodies == null
        && m.severityTexts == null
        && m.severity == null) {
      throw new IllegalArgumentException(
          "give at least one of attributes/record_attributes, resources/resource_attributes,"
              + " libraries, log_bodies/bodies, log_severity_texts/severity_texts,"
              + " log_severity_number/severity_number");
    }
    return m;
  }

  static ItemMatcher forMetrics(MatchProperties p) {
    refuse(p.services(), "services", "metrics");
    refuse(p.spanNames(), "span_names", "metrics");
    refuse(p.spanKinds(), "span_kinds", "metrics");
    refuse(p.allAttributes(), "attributes/record_attributes", "metrics");
    refuse(p.libraries(), "libraries", "metrics");
    refuse(p.allBodies(), "log_bodies/bodies", "metrics");
    refuse(p.allSeverityTexts(), "log_severity_texts/severity_texts", "metrics");
    refuse(p.severity() == null ? null : List.of(p.severity()), "log_severity_number", "metrics");
    ItemMatcher m = new ItemMatcher(p);
    if (m.metricNames == null && m.resources.isEmpty()) {
      throw new IllegalArgumentException(
          "give at least one of metric_names, resource_attributes/resources");
    }
    return m;
  }

  private static void refuse(List<?> values, String key, String signal) {
    if (values != null && !values.isEmpty()) {
      throw new IllegalArgumentException(key + " does not apply to " + signal);
    }
  }

  /** Regexp metric-name patterns that can only match Prometheus series names (never OTLP names). */
  static List<String> prometheusOnlyPatterns(MatchProperties p) {
    List<String> out = new ArrayList<>();
    if (p.regex() && p.metricNames() != null) {
      for (String n : p.metricNames()) {
        if (n.matches(".*_(bucket)\\$?\\)?$")) {
          out.add(n);
        }
      }
    }
    return out;
  }

  boolean span(Resource r, InstrumentationScope scope, Span s) {
    return (services == null || services.matches(serviceName(r)))
        && (spanNames == null || spanNames.matches(s.getName()))
        && (spanKinds == null || spanKinds.matches(s.getKind().name()))
        && all(attributes, s.getAttributesList())
        && all(resources, r.getAttributesList())
        && library(scope);
  }

  boolean log(Resource r, InstrumentationScope scope, LogRecord l) {
    return (bodies == null || bodies.matches(AnyValues.asString(l.getBody())))
        && (severityTexts == null || severityTexts.matches(l.getSeverityText()))
        && (severity == null || severity(l.getSeverityNumberValue()))
        && all(attributes, l.getAttributesList())
        && all(resources, r.getAttributesList())
        && library(scope);
  }

  boolean metric(Resource r, Metric m) {
    return (metricNames == null || metricNames.matches(m.getName()))
        && all(resources, r.getAttributesList());
  }

  private boolean severity(int number) {
    return number == 0 ? severity.matchUndefined() : number >= severity.minNumber();
  }

  private boolean library(InstrumentationScope scope) {
    return libraries.isEmpty() || libraries.stream().anyMatch(l -> l.test(scope));
  }

  private static boolean all(List<AttributeTest> tests, List<KeyValue> attributes) {
    for (AttributeTest t : tests) {
      if (!t.test(attributes)) {
        return false;
      }
    }
    return true;
  }

  private static String serviceName(Resource r) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return AnyValues.asString(kv.getValue());
      }
    }
    return "";
  }

  /** Strict (equal to one) or regexp (one found in it) matching of a string. */
  private record StringSet(List<String> exact, List<Pattern> patterns) {
    static StringSet of(List<String> values, boolean regex) {
      if (values == null || values.isEmpty()) {
        return null;
      }
      return regex
          ? new StringSet(null, values.stream().map(GoRegex::compile).toList())
          : new StringSet(List.copyOf(values), null);
    }

    boolean matches(String s) {
      if (exact != null) {
        return exact.contains(s);
      }
      for (Pattern p : patterns) {
        if (p.matcher(s).find()) {
          return true;
        }
      }
      return false;
    }
  }

  /** Present, and equal to the value (strict) or its text matched by the pattern (regexp). */
  private static final class AttributeTest {
    private final String key;
    private final AnyValue value;
    private final Predicate<String> pattern;

    AttributeTest(MatchProperties.AttributeMatch m, boolean regex) {
      key = m.key();
      if (m.value() == null) {
        value = null;
        pattern = null;
      } else if (regex) {
        if (!(m.value() instanceof String s)) {
          throw new IllegalArgumentException(
              "attribute '" + key + "': match_type regexp needs a string value");
        }
        value = null;
        Pattern p = GoRegex.compile(s);
        pattern = t -> p.matcher(t).find();
      } else {
        value = AnyValues.of(m.value());
        pattern = null;
      }
    }

    boolean test(List<KeyValue> attributes) {
      for (KeyValue kv : attributes) {
        if (kv.getKey().equals(key)) {
          if (pattern != null) {
            return pattern.test(AnyValues.asString(kv.getValue()));
          }
          return value == null || value.equals(kv.getValue());
        }
      }
      return false;
    }
  }

  private static final class LibraryTest {
    private final StringSet name;
    private final StringSet version;

    LibraryTest(MatchProperties.Library l, boolean regex) {
      name = StringSet.of(List.of(l.name()), regex);
      version = l.version() == null ? null : StringSet.of(List.of(l.version()), regex);
    }

    boolean test(InstrumentationScope scope) {
      return name.matches(scope.getName())
          && (version == null || version.matches(scope.getVersion()));
    }
  }
}
