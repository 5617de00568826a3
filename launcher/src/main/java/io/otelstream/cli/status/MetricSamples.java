package io.otelstream.cli.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One scrape of a Prometheus text exposition: the samples, with sums over label selections. Only
 * what {@code otelstream status} reads (name, labels, value); comments and timestamps are skipped.
 */
public final class MetricSamples {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private MetricSamples(List<Sample> samples) {
    this.samples = samples;
  }

  public static MetricSamples empty() {
    return new MetricSamples(List.of());
  }

  /** Parses the text format; a line it cannot read is skipped, not fatal. */
  public static MetricSamples parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Sample s = parseLine(line.trim());
      if (s != null) {
        out.add(s);
      }
    }
    return new MetricSamples(out);
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String name;
    Map<String, String> labels = new TreeMap<>();
    int valueStart;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (i < line.length() && line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
          return null;
        }
        String key = line.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; j < line.length() && line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < line.length()) {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        }
      }
      valueStart = i + 1;
    } else {
      name = line.substring(0, space);
      valueStart = space;
    }
    String[] rest = line.substring(Math.min(valueStart, line.length())).trim().split("\\s+");
    try {
      return new Sample(name, labels, Double.parseDouble(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public boolean isEmpty() {
    return samples.isEmpty();
  }

  /** Sum of {@code name}'s samples whose labels pass {@code filter}; NaN values count as 0. */
  public double sum(String name, Predicate<Map<String, String>> filter) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && filter.test(s.labels()) && !Double.isNaN(s.value())) {
        total += s.value();
      }
    }
    return total;
  }

  public double sum(String name) {
    return sum(name, l -> true);
  }

  /** Samples of {@code name} summed per label set made of {@code keys}, joined by a space. */
  public Map<String, Double> sumBy(String name, String... keys) {
    Map<String, Double> out = new TreeMap<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && !Double.isNaN(s.value())) {
        StringBuilder k = new StringBuilder();
        for (String key : keys) {
          k.append(k.length() == 0 ? "" : " ").append(s.labels().getOrDefault(key, ""));
        }
        out.merge(k.toString(), s.value(), Double::sum);
      }
    }
    return out;
  }
}
