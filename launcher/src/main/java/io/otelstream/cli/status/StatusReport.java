package io.otelstream.cli.status;

import io.otelstream.cli.status.StatusProbe.Snapshot;
import io.otelstream.schemas.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One screen of {@code otelstream status} from two snapshots: per stage the rate in and out (the
 * counters' change between them), drops by reason, lag, and what looks wrong.
 */
public final class StatusReport {
  /** Lag above which a stage is flagged: the alert rules' threshold. */
  static final double LAG_THRESHOLD = 100_000;

  private final Snapshot before;
  private final Snapshot now;
  private final double seconds;
  private final List<String> findings = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  private StatusReport(Snapshot before, Snapshot now) {
    this.before = before;
    this.now = now;
    this.seconds = Math.max(1e-3, (now.atNanos() - before.atNanos()) / 1e9);
  }

  /** Builds the report of what changed from {@code before} to {@code now}. */
  public static StatusReport of(Snapshot before, Snapshot now) {
    StatusReport r = new StatusReport(before, now);
    r.edge();
    r.out.append('\n');
    r.streams();
    r.out.append('\n');
    r.sinks();
    return r;
  }

  /** What looks wrong, one line each; empty when nothing does. */
  public List<String> findings() {
    return List.copyOf(findings);
  }

  public String render() {
    StringBuilder screen = new StringBuilder(out);
    screen.append('\n');
    if (findings.isEmpty()) {
      screen.append("Nothing looks wrong.\n");
    } else {
      screen.append("What looks wrong:\n");
      findings.forEach(f -> screen.append("  ! ").append(f).append('\n'));
    }
    return screen.toString();
  }

  private void edge() {
    Stage s = now.edge();
    if (!header("EDGE", s)) {
      return;
    }
    line(
        "accepted",
        rates(s, before.edge(), MetricNames.EDGE_ITEMS_ACCEPTED.prometheus(), "signal"),
        "items/s");
    Map<String, Double> rejected =
        deltas(s, before.edge(), MetricNames.EDGE_REQUESTS_REJECTED.prometheus(), "reason");
    line("rejected", counts(rejected), "requests in the last " + interval());
    line(
        "in flight",
        bytes(s.metrics().sum(MetricNames.EDGE_INFLIGHT_BYTES.prometheus()))
            + ", "
            + count(s.metrics().sum(MetricNames.EDGE_INFLIGHT_REQUESTS.prometheus()))
            + " requests",
        "");
    rejected.forEach(
        (reason, n) -> {
          if (n > 0) {
            findings.add(
                "edge rejected "
                    + count(n)
                    + " requests ("
                    + reason
                    + ") in the last "
                    + interval());
          }
        });
  }

  private void streams() {
    Stage s = now.streams();
    if (!header("STREAMS", s)) {
      return;
    }
    MetricSamples m = s.metrics();
    line(
        "spans",
        rates(s, before.streams(), MetricNames.STREAMS_SPANS.prometheus(), "outcome"),
        "spans/s");
    line(
        "decisions",
        rates(
            s,
            before.streams(),
            MetricNames.STREAMS_TRACES_DECIDED.prometheus(),
            "policy",
            "decision"),
        "traces/s");
    double spilled = m.sum(MetricNames.STREAMS_TRACES_SPILLED.prometheus());
    double spilledBefore =
        before.streams().reachable()
            ? before.streams().metrics().sum(MetricNames.STREAMS_TRACES_SPILLED.prometheus())
            : spilled;
    line(
        "in flight",
        count(m.sum(MetricNames.STREAMS_TRACES_IN_FLIGHT.prometheus()))
            + " traces, heap "
            + bytes(m.sum(MetricNames.STREAMS_IN_FLIGHT_HEAP_USED.prometheus()))
            + " of "
            + bytes(m.sum(MetricNames.STREAMS_IN_FLIGHT_HEAP_LIMIT.prometheus()))
            + ", to RocksDB "
            + number(rate(spilled, spilledBefore))
            + " traces/s",
        "");
    line(
        "metrics, logs",
        rates(s, before.streams(), MetricNames.STREAMS_ITEMS.prometheus(), "signal", "outcome"),
        "items/s");
    Map<String, Double> lag = m.sumBy(MetricNames.STREAMS_INPUT_LAG_RECORDS.prometheus(), "topic");
    line("lag", counts(lag), "records");
    lag.forEach(
        (topic, n) -> {
          if (n > LAG_THRESHOLD) {
            findings.add("streams app is " + count(n) + " records behind on " + topic);
          }
        });
    flagDeltas(
        "streams decided early",
        deltas(s, before.streams(), MetricNames.STREAMS_EARLY_DECISIONS.prometheus(), "reason"));
    Map<String, Double> dead =
        deltas(s, before.streams(), MetricNames.STREAMS_DEADLETTER_RECORDS.prometheus(), "reason");
    line(
        "dead letters",
        counts(m.sumBy(MetricNames.STREAMS_DEADLETTER_RECORDS.prometheus(), "reason")),
        "records in total");
    flagDeltas("streams dead-lettered records", dead);
    double lost = m.sum(MetricNames.STREAMS_REBUILD_LOST_OFFSETS.prometheus());
    if (lost > 0) {
      findings.add(
          "streams rebuild found " + count(lost) + " input offsets already deleted by retention");
    }
  }

  private void sinks() {
    out.append("SINKS  Connect ");
    if (now.connectError() != null) {
      out.append("unreachable\n");
      findings.add("Connect REST API cannot be read: " + now.connectError());
    } else {
      out.append(now.connectors().size()).append(" connectors\n");
    }
    Stage s = now.sinks();
    if (!s.reachable()) {
      findings.add("sink metrics cannot be read at " + s.url() + ": " + s.error());
    }
    MetricSamples m = s.metrics();
    for (ConnectorState c : now.connectors()) {
      String name = c.name();
      double sent =
          rate(
              m.sum(
                  MetricNames.SINK_RECORDS_SENT_TOTAL.prometheus(),
                  l -> name.equals(l.get("connector"))),
              before
                  .sinks()
                  .metrics()
                  .sum(
                      MetricNames.SINK_RECORDS_SENT_TOTAL.prometheus(),
                      l -> name.equals(l.get("connector"))));
      double lag =
          m.sum(
              "kafka_connect_consumer_fetch_manager_metrics_records_lag",
              l -> l.getOrDefault("client_id", "").startsWith("connector-consumer-" + name + "-"));
      double failures =
          m.sumBy(MetricNames.SINK_BACKEND_CONSECUTIVE_FAILURES.prometheus(), "connector")
              .getOrDefault(name, 0.0);
      double dead =
          m.sum(
              MetricNames.SINK_RECORDS_DEADLETTERED_TOTAL.prometheus(),
              l -> name.equals(l.get("connector")));
      out.append(
          String.format(
              Locale.ROOT,
              "  %-22s %-10s tasks %d/%d running   %s records/s   lag %s   dead letters %s%n",
              name,
              c.state(),
              c.running(),
              c.tasks().size(),
              number(sent),
              count(lag),
              count(dead)));
      if (!"RUNNING".equals(c.state())) {
        findings.add("connector " + name + " is " + c.state() + ": it delivers nothing" + hint(c));
      } else if (c.running() < c.tasks().size()) {
        findings.add(
            "connector "
                + name
                + " has "
                + (c.tasks().size() - c.running())
                + " task(s) not running"
                + hint(c));
      }
      if (failures >= 3) {
        findings.add(
            "connector "
                + name
                + " failed "
                + count(failures)
                + " times in a row: is its backend up?");
      }
      if (lag > LAG_THRESHOLD) {
        findings.add("connector " + name + " is " + count(lag) + " records behind");
      }
    }
    flagDeltas(
        "sinks dead-lettered records",
        deltas(
            s,
            before.sinks(),
            MetricNames.SINK_RECORDS_DEADLETTERED_TOTAL.prometheus(),
            "connector",
            "reason"));
    flagDeltas(
        "sink batches failed",
        deltas(
            s,
            before.sinks(),
            MetricNames.SINK_BATCHES_FAILED_TOTAL.prometheus(),
            "connector",
            "reason"));
  }

  private static String hint(ConnectorState c) {
    return c.firstFailure() == null ? "" : " (" + c.firstFailure() + ")";
  }

  /** Prints the stage's header; false (and a finding) when it cannot be read. */
  private boolean header(String title, Stage s) {
    out.append(title).append("  ").append(s.url()).append("  ");
    if (!s.reachable()) {
      out.append("UNREACHABLE\n\n");
      findings.add(
          title.toLowerCase(Locale.ROOT) + " cannot be read at " + s.url() + ": " + s.error());
      return false;
    }
    out.append(s.ready() ? "ready" : "NOT READY").append('\n');
    if (!s.ready()) {
      findings.add(
          title.toLowerCase(Locale.ROOT) + " at " + s.url() + " is not ready (/health/ready)");
    }
    return true;
  }

  private void line(String label, String values, String unit) {
    out.append(
            String.format(
                    Locale.ROOT, "  %-14s %s %s", label, values.isEmpty() ? "-" : values, unit)
                .stripTrailing())
        .append('\n');
  }

  private void flagDeltas(String what, Map<String, Double> deltas) {
    deltas.forEach(
        (labels, n) -> {
          if (n > 0) {
            findings.add(what + ": " + count(n) + " (" + labels + ") in the last " + interval());
          }
        });
  }

  private Map<String, Double> deltas(Stage now, Stage before, String name, String... keys) {
    Map<String, Double> was = before.metrics().sumBy(name, keys);
    Map<String, Double> out = new TreeMap<>();
    now.metrics()
        .sumBy(name, keys)
        .forEach(
            (k, v) ->
                out.put(k, Math.max(0, v - was.getOrDefault(k, before.reachable() ? 0.0 : v))));
    return out;
  }

  private String rates(Stage now, Stage before, String name, String... keys) {
    StringBuilder b = new StringBuilder();
    deltas(now, before, name, keys)
        .forEach(
            (k, d) ->
                b.append(b.length() == 0 ? "" : "  ")
                    .append(k)
                    .append(' ')
                    .append(number(d / seconds)));
    return b.toString();
  }

  private double rate(double now, double before) {
    return Math.max(0, now - before) / seconds;
  }

  private static String counts(Map<String, Double> values) {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (k, v) -> b.append(b.length() == 0 ? "" : "  ").append(k).append(' ').append(count(v)));
    return b.toString();
  }

  private String interval() {
    return String.format(Locale.ROOT, "%.0f s", seconds);
  }

  static String count(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  static String number(double v) {
    return v >= 100 || v == 0 ? count(v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String bytes(double v) {
    if (v >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20));
    }
    return v >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", v / 1024) : count(v) + " B";
  }
}
