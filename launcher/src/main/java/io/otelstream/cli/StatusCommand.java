package io.otelstream.cli;

import io.otelstream.cli.status.StatusProbe;
import io.otelstream.cli.status.StatusReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One terminal screen of the pipeline's state from the edge's and the streams app's admin
 * endpoints, the sinks' metrics and Connect's REST API. Rates are the counters' change over {@code
 * --interval}; exit status 1 when something looks wrong (unless watching).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Show each stage of a running pipeline: rates in and out, drops by reason, lag, traces in"
          + " flight, decisions by policy, connector and task states, and what looks wrong.",
      "Exit status: 0 when nothing looks wrong, 1 when something does (not with --watch)."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--edge",
      description = "edge admin URL (default: ${DEFAULT-VALUE})",
      defaultValue = "http://localhost:13133")
  String edge;

  @Option(
      names = "--streams",
      description = "streams app admin URL (default: ${DEFAULT-VALUE})",
      defaultValue = "http://localhost:13134")
  String streams;

  @Option(
      names = "--connect",
      description = "Connect REST URL (default: ${DEFAULT-VALUE})",
      defaultValue = "http://localhost:8083")
  String connect;

  @Option(
      names = "--connect-metrics",
      description =
          "Connect worker's Prometheus endpoint, the sinks' metrics (default: ${DEFAULT-VALUE})",
      defaultValue = "http://localhost:13135")
  String connectMetrics;

  @Option(names = "--watch", description = "refresh every interval until interrupted")
  boolean watch;

  @Option(
      names = "--interval",
      description =
          "seconds between the two reads rates come from, and between refreshes (default: ${DEFAULT-VALUE})",
      defaultValue = "2")
  double intervalSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (!(intervalSeconds > 0) || intervalSeconds > 3600) {
      throw new IllegalArgumentException(
          "--interval must be between 0 and 3600 seconds, got " + intervalSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    StatusProbe probe = new StatusProbe();
    StatusProbe.Targets targets =
        new StatusProbe.Targets(trim(edge), trim(streams), trim(connect), trim(connectMetrics));
    Duration interval = Duration.ofMillis(Math.round(intervalSeconds * 1000));
    StatusProbe.Snapshot before = probe.read(targets);
    while (true) {
      Thread.sleep(interval.toMillis()); // rates need a second reading
      StatusProbe.Snapshot now = probe.read(targets);
      StatusReport report = StatusReport.of(before, now);
      if (watch) {
        out.print("\033[H\033[2J"); // clear the terminal, as watch(1) does
      }
      out.println(
          "otelstream status  " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      out.println();
      out.print(report.render());
      out.flush();
      if (!watch) {
        return report.findings().isEmpty() ? 0 : 1;
      }
      before = now;
    }
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
