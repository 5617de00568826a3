package io.otelstream.sinks.mimir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metric and label names exactly as the Collector's Prometheus translator writes them (Prometheus'
 * {@code otlptranslator}, used by the {@code prometheusremotewrite} and {@code prometheus}
 * exporters, with metric suffixes and without UTF-8 names). A metric name is split into words at
 * every character other than letters, digits and {@code :} (so underscores collapse and leading or
 * trailing ones vanish); the unit's word is added unless the name already has it anywhere ({@code
 * app.bytes.sent} in By stays {@code app_bytes_sent}), then {@code per_} and the per-unit;
 * monotonic sums end in {@code total} and gauges in unit {@code 1} in {@code ratio}, each moved to
 * the end. Labels replace invalid characters one for one (no collapsing) and get {@code key_}
 * before a leading digit and {@code key} before a single leading underscore.
 */
public final class PrometheusNames {
  /** The metric types the names depend on. */
  enum Type {
    GAUGE,
    MONOTONIC_COUNTER,
    NON_MONOTONIC_COUNTER,
    HISTOGRAM,
    EXPONENTIAL_HISTOGRAM,
    SUMMARY
  }

  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y",
          "year");

  private PrometheusNames() {}

  /** The metric's name; empty when nothing valid is left (the caller drops and counts it). */
  static String metric(String name, String unit, Type type) {
    List<String> words = words(name);
    String[] suffixes = unitSuffixes(unit == null ? "" : unit);
    String main = cleanUnit(suffixes[0]);
    String per = cleanUnit(suffixes[1]);
    if (words.contains(main)) {
      main = "";
    }
    if (per.equals("per_")) {
      per = "";
    } else {
      per = trimTrailingUnderscore(per);
      if (words.contains(per)) {
        per = "";
      }
    }
    if (!per.isEmpty()) {
      main = trimTrailingUnderscore(main);
    }
    if (!main.isEmpty()) {
      words.add(main);
    }
    if (!per.isEmpty()) {
      words.add(per);
    }
    if (type == Type.MONOTONIC_COUNTER) {
      words.removeIf("total"::equals);
      words.add("total");
    }
    if ("1".equals(unit) && type == Type.GAUGE) {
      words.removeIf("ratio"::equals);
      words.add("ratio");
    }
    String n = String.join("_", words);
    if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
      n = "_" + n;
    }
    return n.chars().allMatch(c -> c == '_') ? "" : n;
  }

  /**
   * A label name as the Collector writes it; the Loki sink names its stream labels the same way.
   */
  public static String label(String name) {
    if (name.isEmpty()) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            c -> sb.append(c < 128 && (c == '_' || Character.isLetterOrDigit(c)) ? (char) c : '_'));
    String s = sb.toString();
    if (Character.isDigit(s.charAt(0))) {
      return "key_" + s;
    }
    if (s.startsWith("_") && !s.startsWith("__")) {
      return "key" + s;
    }
    return s;
  }

  /** A number as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: {@code 1}, {@code 0.00001}. */
  static String format(double d) {
    return io.otelstream.schemas.AnyValueText.formatDouble(d);
  }

  private static List<String> words(String name) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (metricChar(c)) {
        w.append(c);
      } else if (w.length() > 0) {
        words.add(w.toString());
        w.setLength(0);
      }
    }
    if (w.length() > 0) {
      words.add(w.toString());
    }
    return words;
  }

  private static boolean metricChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
  }

  /** Main and per suffix of a UCUM unit; annotations in braces give none. */
  private static String[] unitSuffixes(String unit) {
    String[] parts = unit.split("/", 2);
    String main = "";
    String per = "";
    String m = parts[0].trim();
    if (!m.isEmpty() && m.indexOf('{') < 0 && m.indexOf('}') < 0) {
      main = UNITS.getOrDefault(m, m);
    }
    if (parts.length > 1 && !parts[1].isEmpty()) {
      String p = parts[1].trim();
      if (!p.isEmpty() && p.indexOf('{') < 0 && p.indexOf('}') < 0) {
        per = PER_UNITS.getOrDefault(p, p);
      }
      if (!per.isEmpty()) {
        per = "per_" + per;
      }
    }
    return new String[] {main, per};
  }

  /** Invalid characters to underscores, runs of underscores to one, no leading underscore. */
  private static String cleanUnit(String unit) {
    StringBuilder sb = new StringBuilder(unit.length());
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      char out = metricChar(c) ? c : '_';
      if (out == '_' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
        continue;
      }
      sb.append(out);
    }
    String s = sb.toString();
    return s.startsWith("_") ? s.substring(1) : s;
  }

  private static String trimTrailingUnderscore(String s) {
    return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
  }
}
