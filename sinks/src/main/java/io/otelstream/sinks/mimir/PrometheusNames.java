package io.otelstream.sinks.mimir;

import java.util.Map;

/**
 * Metric and label names per the OpenTelemetry Prometheus compatibility specification: invalid
 * characters become underscores, then the unit suffix, then {@code _total} for counters.
 */
final class PrometheusNames {
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
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("%", "percent"));

  private PrometheusNames() {}

  static String metric(String name, String unit, boolean counter) {
    String n = sanitize(name, true);
    String suffix = unitSuffix(unit);
    if (!suffix.isEmpty() && !n.endsWith("_" + suffix)) {
      n = n + "_" + suffix;
    }
    if ("1".equals(unit) && !counter && !n.endsWith("_ratio")) {
      n = n + "_ratio";
    }
    if (counter && !n.endsWith("_total")) {
      n = n + "_total";
    }
    return n;
  }

  static String label(String name) {
    String n = sanitize(name, false);
    return n.startsWith("__") && !name.startsWith("__") ? "key" + n : n;
  }

  /** {@code By/s} → bytes_per_second; annotations in braces and the unit 1 add nothing. */
  static String unitSuffix(String unit) {
    if (unit == null || unit.isEmpty() || unit.equals("1") || unit.startsWith("{")) {
      return "";
    }
    String u = unit.replaceAll("\\{[^}]*}", "");
    int slash = u.indexOf('/');
    if (slash >= 0) {
      String per = u.substring(slash + 1);
      String perWord =
          switch (per) {
            case "s" -> "second";
            case "m" -> "minute";
            case "h" -> "hour";
            case "d" -> "day";
            default -> sanitize(per, false);
          };
      String main = unitSuffix(u.substring(0, slash));
      return main.isEmpty() ? "per_" + perWord : main + "_per_" + perWord;
    }
    return UNITS.getOrDefault(u, sanitize(u, false));
  }

  private static String sanitize(String name, boolean allowColon) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || (allowColon && c == ':');
      sb.append(ok ? c : '_');
    }
    String s = sb.toString().replaceAll("__+", "_");
    if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
      s = "_" + s;
    }
    return s;
  }
}
