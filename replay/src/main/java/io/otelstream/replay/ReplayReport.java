package io.otelstream.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A sample replay's figures as text for an operator or as one JSON object. JSON fields: {@code
 * topic}, {@code records_read}, {@code seconds}, {@code partitions} (partition, read_from, from,
 * to, stop), {@code replayed} and, in a preview with --policies, {@code current}, each with {@code
 * seen} and {@code kept} ({@code traces}, {@code spans}, {@code bytes}, {@code error_traces}) and
 * {@code by_policy} (the same four per deciding policy).
 */
public final class ReplayReport {
  private ReplayReport() {}

  public static String json(SampleReplay.Result r) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("topic", r.topic());
    root.put("records_read", r.recordsRead());
    root.put("seconds", r.elapsed().toMillis() / 1000.0);
    var parts = root.putArray("partitions");
    for (PartitionWindow w : r.windows()) {
      parts
          .addObject()
          .put("partition", w.partition())
          .put("read_from", w.readFrom())
          .put("from", w.from())
          .put("to", w.to())
          .put("stop", w.stop());
    }
    stats(root.putObject("replayed"), r.replayed());
    if (r.live() != null) {
      stats(root.putObject("current"), r.live());
    }
    return root.toString();
  }

  private static void stats(ObjectNode node, ReplayStats s) {
    figures(node.putObject("seen"), s.seen());
    figures(node.putObject("kept"), s.kept());
    ObjectNode by = node.putObject("by_policy");
    s.byPolicy().forEach((name, f) -> figures(by.putObject(name), f));
  }

  private static void figures(ObjectNode node, PolicyFigures f) {
    node.put("traces", f.traces())
        .put("spans", f.spans())
        .put("bytes", f.bytes())
        .put("error_traces", f.errorTraces());
  }

  public static String text(SampleReplay.Result r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "replayed %s: %,d records in %.1f s (%,.0f records/s)%n",
            r.topic(),
            r.recordsRead(),
            r.elapsed().toMillis() / 1000.0,
            r.recordsRead() / Math.max(1e-3, r.elapsed().toMillis() / 1000.0)));
    ReplayStats a = r.replayed();
    ReplayStats c = r.live();
    String header = c == null ? "%-26s %s%n" : "%-26s %-34s %s%n";
    b.append(String.format(header, "", "replayed policies", c == null ? "" : "current policies"));
    row(
        b,
        header,
        "traces decided",
        count(a.seen().traces()),
        c == null ? null : count(c.seen().traces()));
    row(
        b,
        header,
        "spans seen",
        count(a.seen().spans()),
        c == null ? null : count(c.seen().spans()));
    row(
        b,
        header,
        "traces kept",
        share(a.kept().traces(), a.seen().traces()),
        c == null ? null : share(c.kept().traces(), c.seen().traces()));
    row(
        b,
        header,
        "spans kept",
        share(a.kept().spans(), a.seen().spans()),
        c == null ? null : share(c.kept().spans(), c.seen().spans()));
    row(
        b,
        header,
        "bytes kept",
        share(a.kept().bytes(), a.seen().bytes()),
        c == null ? null : share(c.kept().bytes(), c.seen().bytes()));
    row(
        b,
        header,
        "error traces kept",
        share(a.kept().errorTraces(), a.seen().errorTraces()),
        c == null ? null : share(c.kept().errorTraces(), c.seen().errorTraces()));
    policies(b, "kept by policy (replayed)", a.byPolicy(), a.seen().spans());
    if (c != null) {
      policies(b, "kept by policy (current)", c.byPolicy(), c.seen().spans());
    }
    return b.toString();
  }

  private static void policies(
      StringBuilder b, String title, Map<String, PolicyFigures> by, long spansSeen) {
    b.append(title).append(':').append(System.lineSeparator());
    if (by.isEmpty()) {
      b.append("  (none)").append(System.lineSeparator());
    }
    by.forEach(
        (name, f) ->
            b.append(
                String.format(
                    "  %-24s %,d traces, %s of spans, %,d error traces%n",
                    name, f.traces(), share(f.spans(), spansSeen), f.errorTraces())));
  }

  private static void row(StringBuilder b, String format, String label, String a, String c) {
    b.append(c == null ? String.format(format, label, a) : String.format(format, label, a, c));
  }

  private static String count(long n) {
    return String.format("%,d", n);
  }

  private static String share(long part, long whole) {
    return String.format("%,d (%.1f%%)", part, whole == 0 ? 0.0 : 100.0 * part / whole);
  }
}
