package io.otelstream.topics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What an apply or verify found, topic by topic, in the order found. */
public final class TopicReport {
  /** One finding. */
  public record Line(Kind kind, String topic, String message) {
    @Override
    public String toString() {
      return String.format("%-7s %-28s %s", kind, topic, message);
    }
  }

  /** How a finding affects the outcome. */
  public enum Kind {
    OK,
    CHANGED,
    WARN,
    DRIFT
  }

  private final List<Line> lines = new ArrayList<>();
  private final Set<String> touched = new LinkedHashSet<>();

  void ok(String topic) {
    if (touched.add(topic)) {
      lines.add(new Line(Kind.OK, topic, "as specified"));
    }
  }

  void changed(String topic, String message) {
    add(Kind.CHANGED, topic, message);
  }

  void warn(String topic, String message) {
    add(Kind.WARN, topic, message);
  }

  void drift(String topic, String message) {
    add(Kind.DRIFT, topic, message);
  }

  private void add(Kind kind, String topic, String message) {
    touched.add(topic);
    lines.add(new Line(kind, topic, message));
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  /** True when the cluster does not match the catalogue after this run. */
  public boolean hasDriftOrWarnings() {
    return lines.stream().anyMatch(l -> l.kind() == Kind.DRIFT || l.kind() == Kind.WARN);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }
}
