package io.otelstream.perf;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Load generator settings, shared by the CLI and the benchmark. */
public final class LoadOptions {
  @Option(
      names = "--signal",
      defaultValue = "traces",
      description =
          "traces, metrics (SDK-like cumulative counters, one instance per request) or logs"
              + " (default: ${DEFAULT-VALUE})")
  public String signal;

  @Option(
      names = "--items-per-request",
      defaultValue = "100",
      description =
          "metrics: data points (series) per request; logs: log records per request"
              + " (default: ${DEFAULT-VALUE}); traces use --traces-per-request")
  public int itemsPerRequest;

  @Option(
      names = "--instances",
      defaultValue = "100",
      description =
          "metrics: SDK instances taking turns, each with its own service.instance.id and"
              + " --items-per-request series (default: ${DEFAULT-VALUE})")
  public int instances;

  @Option(
      names = "--protocol",
      defaultValue = "grpc",
      description = "grpc or http (default: ${DEFAULT-VALUE})")
  public String protocol;

  @Option(
      names = "--host",
      defaultValue = "localhost",
      description = "edge host (default: ${DEFAULT-VALUE})")
  public String host;

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "edge port (default: 4317 for grpc, 4318 for http)")
  public int port;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "target items (spans, data points, log records) per second, 0 for as fast as"
              + " acknowledged (default: ${DEFAULT-VALUE})")
  public long rate;

  @Option(
      names = "--spans-per-trace",
      defaultValue = "10",
      description = "(default: ${DEFAULT-VALUE})")
  public int spansPerTrace;

  @Option(
      names = "--topology",
      defaultValue = "flat",
      description =
          "flat: one service, a server span and client spans; services: web -> checkout ->"
              + " postgresql, four spans per trace over two services and a database, the error on"
              + " checkout's server span (default: ${DEFAULT-VALUE})")
  public String topology;

  @Option(
      names = "--traces-per-request",
      defaultValue = "20",
      description = "(default: ${DEFAULT-VALUE})")
  public int tracesPerRequest;

  @Option(
      names = "--error-ratio",
      defaultValue = "0.01",
      description = "share of traces with an error span (default: ${DEFAULT-VALUE})")
  public double errorRatio;

  @Option(
      names = "--attributes",
      defaultValue = "4",
      description = "attributes per span (default: ${DEFAULT-VALUE})")
  public int attributes;

  @Option(
      names = "--span-bytes",
      defaultValue = "250",
      description = "approximate encoded bytes per span (default: ${DEFAULT-VALUE})")
  public int spanBytes;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "requests in flight (default: ${DEFAULT-VALUE})")
  public int concurrency;

  @Option(
      names = "--connections",
      defaultValue = "4",
      description = "connections to the edge (default: ${DEFAULT-VALUE})")
  public int connections;

  @Option(
      names = "--duration",
      defaultValue = "30",
      description = "seconds to run (default: ${DEFAULT-VALUE})")
  public int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "seconds of load before measuring (default: ${DEFAULT-VALUE})")
  public int warmupSeconds;

  @Option(names = "--token", description = "bearer token to send")
  public String token;

  public LoadOptions validated() {
    if (!protocol.equals("grpc") && !protocol.equals("http")) {
      throw new IllegalArgumentException("--protocol must be grpc or http, was " + protocol);
    }
    require(
        signal.equals("traces") || signal.equals("metrics") || signal.equals("logs"),
        "--signal must be traces, metrics or logs, was " + signal);
    require(itemsPerRequest >= 1, "--items-per-request must be at least 1");
    require(instances >= 1, "--instances must be at least 1");
    require(spansPerTrace >= 1, "--spans-per-trace must be at least 1");
    require(
        topology.equals("flat") || topology.equals("services"),
        "--topology must be flat or services, was " + topology);
    if (topology.equals("services")) {
      spansPerTrace = 4;
    }
    require(tracesPerRequest >= 1, "--traces-per-request must be at least 1");
    require(errorRatio >= 0 && errorRatio <= 1, "--error-ratio must be between 0 and 1");
    require(attributes >= 0, "--attributes must not be negative");
    require(concurrency >= 1, "--concurrency must be at least 1");
    require(connections >= 1, "--connections must be at least 1");
    require(durationSeconds >= 1, "--duration must be at least 1 second");
    require(rate >= 0, "--rate must not be negative");
    if (port == 0) {
      port = protocol.equals("grpc") ? 4317 : 4318;
    }
    return this;
  }

  int spansPerRequest() {
    return spansPerTrace * tracesPerRequest;
  }

  /** What the load generator counts: spans, data points or log records. */
  String itemName() {
    return switch (signal) {
      case "metrics" -> "points";
      case "logs" -> "logs";
      default -> "spans";
    };
  }

  Duration duration() {
    return Duration.ofSeconds(durationSeconds);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
