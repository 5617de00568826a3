package io.otelstream.dev;

import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.EmbeddedKafka;
import io.otelstream.streams.app.StreamsApp;
import java.nio.file.Path;
import java.util.Map;

/**
 * What `otelstream dev` prints once it is ready: where to send data, where it goes, how to look.
 */
final class DevBanner {
  private final EmbeddedKafka kafka;
  private final EdgeServer edge;
  private final StreamsApp streams;
  private final DevConnect connect;
  private final Path files;
  private String policies = "";

  DevBanner(
      EmbeddedKafka kafka, EdgeServer edge, StreamsApp streams, DevConnect connect, Path files) {
    this.kafka = kafka;
    this.edge = edge;
    this.streams = streams;
    this.connect = connect;
    this.files = files;
  }

  DevBanner policies(String description) {
    this.policies = description;
    return this;
  }

  String text() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%notelstream dev is ready (Ctrl-C stops it)%n"));
    b.append(String.format("  send          OTLP/gRPC localhost:%d%n", edge.grpcPort()));
    b.append(
        String.format(
            "                OTLP/HTTP http://localhost:%d/v1/{traces,metrics,logs}%n",
            edge.httpPort()));
    b.append(
        String.format(
            "                e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:%d%n",
            edge.grpcPort()));
    b.append(
        String.format(
            "  Kafka         %s  (data in %s)%n", kafka.bootstrapServers(), kafka.dataDir()));
    b.append(String.format("  sampling      otlp-traces -> otlp-traces-sampled, %s%n", policies));
    for (Map.Entry<String, String> d : connect.destinations().entrySet()) {
      b.append(String.format("  %-13s %s%n", d.getKey(), d.getValue()));
    }
    b.append(
        String.format(
            "  look          tail -f %s/traces.jsonl; kafka topics on %s%n",
            files, kafka.bootstrapServers()));
    b.append(
        String.format(
            "  health        edge http://localhost:%d/health/ready  streams"
                + " http://localhost:%d/health/ready%n",
            edge.adminPort(), streams.adminPort()));
    b.append(
        String.format(
            "  metrics       edge http://localhost:%d/metrics  streams http://localhost:%d/metrics%n",
            edge.adminPort(), streams.adminPort()));
    b.append(String.format("  sink metrics  %s%n", connect.metricsUrl()));
    b.append(String.format("  Connect REST  %s/connectors%n", connect.restUrl()));
    b.append(
        String.format(
            "  status        ./otelstream status%s   (all stages on one screen; --watch)%n",
            statusFlags(edge.adminPort(), streams.adminPort(), connect)));
    b.append(
        String.format(
            "  cardinality   ./otelstream cardinality%s   (metric series, what the guard dropped)%n",
            streams.adminPort() == 13134
                ? ""
                : " --streams http://localhost:" + streams.adminPort()));
    return b.toString();
  }

  /** The flags `otelstream status` needs for ports other than its defaults (dev's defaults). */
  private static String statusFlags(int edgeAdmin, int streamsAdmin, DevConnect connect) {
    StringBuilder flags = new StringBuilder();
    String edge = "http://localhost:" + edgeAdmin;
    String streams = "http://localhost:" + streamsAdmin;
    String metrics = connect.metricsUrl().replaceFirst("/metrics$", "");
    if (!edge.equals("http://localhost:13133")) {
      flags.append(" --edge ").append(edge);
    }
    if (!streams.equals("http://localhost:13134")) {
      flags.append(" --streams ").append(streams);
    }
    if (!connect.restUrl().equals("http://localhost:8083")) {
      flags.append(" --connect ").append(connect.restUrl());
    }
    if (!metrics.equals("http://localhost:13135")) {
      flags.append(" --connect-metrics ").append(metrics);
    }
    return flags.toString();
  }
}
