package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.otelstream.cli.Otelstream;
import io.otelstream.kafka.FreePorts;
import io.otelstream.sinks.TestReceivers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The dashboards, the alert rules and {@code otelstream status} against a live pipeline:
 * `./otelstream dev` (a child process, as a user runs it) with its log sink pushing to a real
 * VictoriaLogs, telemetry from the OpenTelemetry SDK's exporters, and a real Prometheus scraping
 * the edge, the streams app and the Connect worker and evaluating the rule file. Every panel's and
 * every rule's expression must evaluate, every panel must return data, and stopping the log backend
 * must raise the sink-failure alert's expression, which restoring it clears.
 */
class ObservabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DASHBOARDS = ROOT.resolve("helm/otelstream/files/grafana");
  private static final Path RULES = ROOT.resolve("helm/otelstream/files/prometheus/alerts.yaml");
  private static final String SINK_FAILING = "OtelstreamSinkBackendFailing";

  /**
   * Counters a dashboard shows that only exist once their event happened, and that this run does
   * not cause: a backend reporting part of an accepted batch rejected.
   */
  private static final Set<String> ONLY_ON_EVENT = Set.of("otelstream_sink_items_dropped_total");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final long started = System.nanoTime();
  private final StringBuffer phases = new StringBuffer();
  private final AtomicBoolean sending = new AtomicBoolean(true);

  @Test
  // Each wait below has its own bound, which together stay under this one.
  @org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
  void dashboardsRulesAndStatusWorkAgainstALivePipeline() throws Exception {
    try {
      scenario();
    } catch (Throwable t) {
      // What a failed run on a slow machine needs to be understood: where the time went and what
      // the processes said last.
      phase("failed: " + t);
      StringBuilder report = new StringBuilder("phases:\n").append(phases);
      for (String log : List.of("dev.out", "prometheus.log", "victoria-logs.log")) {
        Path f = dir.resolve(log);
        if (Files.exists(f)) {
          List<String> lines = Files.readAllLines(f);
          report.append("---- last lines of ").append(log).append('\n');
          lines
              .subList(Math.max(0, lines.size() - 40), lines.size())
              .forEach(l -> report.append(l).append('\n'));
        }
      }
      throw new AssertionError(report.toString(), t);
    }
  }

  private void scenario() throws Exception {
    int logsPort = FreePorts.next();
    Process victoria = startVictoriaLogs(logsPort);
    Ports ports = new Ports();
    startDev(ports, "http://127.0.0.1:" + logsPort + "/insert/loki/api/v1/push");
    phase("dev mode ready");
    String prometheus = startPrometheus(ports);
    phase("prometheus ready");
    assertThat(Files.readString(dir.resolve("dev.out")))
        .as("the banner points to otelstream status with dev's ports")
        .contains(
            "./otelstream status --edge http://localhost:"
                + ports.edgeAdmin
                + " --streams http://localhost:"
                + ports.streamsAdmin
                + " --connect http://localhost:"
                + ports.connect
                + " --connect-metrics http://localhost:"
                + ports.connectMetrics);

    Thread load = new Thread(() -> send(ports), "otlp-load");
    load.setDaemon(true);
    load.start();
    provokeDrops(ports);

    // The Connect worker's metrics port answers health as the other stages' admin ports do.
    Awaitility.await("Connect worker ready on its metrics port")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> statusCode("http://localhost:" + ports.connectMetrics + "/health/ready") == 200);
    assertThat(statusCode("http://localhost:" + ports.connectMetrics + "/health/live"))
        .isEqualTo(200);

    phase("connect worker ready");
    // otelstream status shows every stage, and flags a stopped connector.
    Status healthy = status(ports);
    assertThat(healthy.out())
        .contains("EDGE  http://localhost:" + ports.edgeAdmin + "  ready")
        .contains("STREAMS  http://localhost:" + ports.streamsAdmin + "  ready")
        .contains("otelstream-traces", "otelstream-metrics", "otelstream-logs")
        .contains("decisions", "in flight", "traces, heap", "to RocksDB", "lag");
    put(ports.connect, "/connectors/otelstream-metrics/stop");
    Awaitility.await("status flags the stopped connector")
        .atMost(Duration.ofSeconds(45))
        .untilAsserted(
            () -> {
              Status stopped = status(ports);
              assertThat(stopped.exit()).isEqualTo(1);
              assertThat(stopped.out())
                  .contains("! connector otelstream-metrics is STOPPED: it delivers nothing");
            });
    put(ports.connect, "/connectors/otelstream-metrics/resume");
    phase("status checked, stopped connector flagged");

    // The log backend stops: the sink-failure alert's expression returns the logs connector.
    String failing = ruleQuery(prometheus, SINK_FAILING);
    assertThat(connectorsIn(query(prometheus, failing))).isEmpty();
    victoria.destroy();
    assertThat(victoria.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Awaitility.await("sink-failure expression returns a series")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> connectorsIn(query(prometheus, failing)).contains("otelstream-logs"));
    phase("sink-failure expression raised");
    assertThat(status(ports).out()).contains("connector otelstream-logs failed");

    // Restored, the next batch gets through and the expression is empty again.
    startVictoriaLogs(logsPort);
    Awaitility.await("sink-failure expression clears")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> connectorsIn(query(prometheus, failing)).isEmpty());
    phase("sink-failure expression cleared");
    // Every panel returns data: drops were provoked, a decision_wait has passed, and the outage
    // above made the sink fail and retry.
    List<Panel> panels = panels();
    assertThat(panels).hasSizeGreaterThan(30);
    Awaitility.await("every dashboard panel returns data")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(panelsWithoutData(prometheus, panels)).isEmpty());
    phase("every panel has data");
    Set<String> known = metricNames(prometheus);
    for (Panel p : panels) {
      for (String metric : metricsIn(p.expr())) {
        if (!ONLY_ON_EVENT.contains(metric)) {
          assertThat(known).as("metric %s of panel %s", metric, p).contains(metric);
        }
      }
    }

    // Prometheus evaluated every rule of the file without an error, and each expression runs.
    Awaitility.await("every rule evaluated")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode groups = get(prometheus + "/api/v1/rules").path("data").path("groups");
              List<String> unhealthy = new ArrayList<>();
              int rules = 0;
              for (JsonNode g : groups) {
                for (JsonNode r : g.path("rules")) {
                  rules++;
                  if (!"ok".equals(r.path("health").asText())) {
                    unhealthy.add(r.path("name").asText() + ": " + r.path("lastError").asText());
                  }
                  assertThat(query(prometheus, r.path("query").asText()).path("status").asText())
                      .as("rule %s", r.path("name").asText())
                      .isEqualTo("success");
                }
              }
              assertThat(rules).isEqualTo(alertCount());
              assertThat(unhealthy).isEmpty();
            });

    sending.set(false);
    load.join(30_000);
  }

  /** Where the time went, for a run that fails on a slow machine. */
  private void phase(String what) {
    System.out.printf("ObservabilityIT: %5.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
  }

  /** Bad input that each stage must count by reason, so the drop panels have data. */
  private void provokeDrops(Ports ports) throws Exception {
    HttpResponse<String> garbage =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + ports.http + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 1, 2}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(400);
    String badSpan =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"\","
            + "\"spanId\":\"0102030405060708\",\"name\":\"no trace id\"}]}]}]}";
    HttpResponse<String> partial =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + ports.http + "/v1/traces"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(badSpan))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(partial.body()).contains("rejected");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", "localhost:" + ports.kafka),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      byte[] junk = "not an OTLP record".getBytes(StandardCharsets.UTF_8);
      p.send(new ProducerRecord<>("otlp-traces", "junk".getBytes(StandardCharsets.UTF_8), junk))
          .get();
      p.send(new ProducerRecord<>("otlp-logs-processed", "junk".getBytes(), junk)).get();
    }
  }

  /** Spans (some with errors), a gauge and log records through the SDK's OTLP/HTTP exporters. */
  private void send(Ports ports) {
    String base = "http://localhost:" + ports.http;
    try (SdkTracerProvider traces =
            SdkTracerProvider.builder()
                .addSpanProcessor(
                    BatchSpanProcessor.builder(
                            OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build())
                        .build())
                .build();
        SdkMeterProvider meters =
            SdkMeterProvider.builder()
                .registerMetricReader(
                    PeriodicMetricReader.builder(
                            OtlpHttpMetricExporter.builder()
                                .setEndpoint(base + "/v1/metrics")
                                .build())
                        .setInterval(Duration.ofSeconds(1))
                        .build())
                .build();
        SdkLoggerProvider logs =
            SdkLoggerProvider.builder()
                .addLogRecordProcessor(
                    BatchLogRecordProcessor.builder(
                            OtlpHttpLogRecordExporter.builder()
                                .setEndpoint(base + "/v1/logs")
                                .build())
                        .setScheduleDelay(Duration.ofMillis(200))
                        .build())
                .build()) {
      Tracer tracer = traces.get("observability-it");
      Logger logger = logs.get("observability-it");
      var requests = meters.get("observability-it").counterBuilder("it.requests").build();
      for (int i = 0; sending.get(); i++) {
        Span root = tracer.spanBuilder("checkout").startSpan();
        try (var scope = root.makeCurrent()) {
          tracer.spanBuilder("db").startSpan().end();
        }
        if (i % 10 == 0) {
          root.setStatus(StatusCode.ERROR);
        }
        root.end();
        requests.add(1, Attributes.empty());
        logger.logRecordBuilder().setBody("request " + i).emit();
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Panel(String dashboard, String title, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + title + ": " + expr;
    }
  }

  private static List<Panel> panels() throws Exception {
    List<Panel> out = new ArrayList<>();
    try (var files = Files.list(DASHBOARDS)) {
      for (Path f : files.sorted().toList()) {
        JsonNode d = JSON.readTree(f.toFile());
        for (JsonNode p : d.path("panels")) {
          for (JsonNode t : p.path("targets")) {
            out.add(
                new Panel(
                    d.path("title").asText(), p.path("title").asText(), t.path("expr").asText()));
          }
        }
      }
    }
    return out;
  }

  /**
   * Panels none of whose queries return a series; every query must evaluate. Grafana's {@code
   * $__rate_interval} becomes 15 s (the scrape interval is 1 s).
   */
  private static List<String> panelsWithoutData(String prometheus, List<Panel> panels)
      throws Exception {
    Map<String, Boolean> hasData = new java.util.LinkedHashMap<>();
    for (Panel p : panels) {
      JsonNode answer = query(prometheus, p.expr().replace("$__rate_interval", "15s"));
      assertThat(answer.path("status").asText()).as("%s: %s", p, answer).isEqualTo("success");
      boolean data = !answer.path("data").path("result").isEmpty();
      hasData.merge(p.dashboard() + " / " + p.title(), data, Boolean::logicalOr);
    }
    return hasData.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  private static final Pattern METRIC =
      Pattern.compile("\\b((?:otelstream|kafka|process)_[a-z0-9_]+|up)\\b(?!\\s*\\()");

  private static Set<String> metricsIn(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(expr.replaceAll("\\{[^}]*}", "{}"));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Set<String> metricNames(String prometheus) throws Exception {
    Set<String> out = new TreeSet<>();
    get(prometheus + "/api/v1/label/__name__/values")
        .path("data")
        .forEach(n -> out.add(n.asText()));
    return out;
  }

  private static int alertCount() throws Exception {
    return (int)
        Files.readAllLines(RULES).stream().filter(l -> l.trim().startsWith("- alert:")).count();
  }

  private static String ruleQuery(String prometheus, String alert) throws Exception {
    for (JsonNode g : get(prometheus + "/api/v1/rules").path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (alert.equals(r.path("name").asText())) {
          return r.path("query").asText();
        }
      }
    }
    throw new AssertionError("no rule " + alert);
  }

  private static Set<String> connectorsIn(JsonNode answer) {
    Set<String> out = new TreeSet<>();
    answer
        .path("data")
        .path("result")
        .forEach(s -> out.add(s.path("metric").path("connector").asText()));
    return out;
  }

  private record Status(int exit, String out) {}

  private static Status status(Ports ports) {
    StringWriter text = new StringWriter();
    CommandLine cli = Otelstream.commandLine();
    cli.setOut(new PrintWriter(text));
    int exit =
        cli.execute(
            "status",
            "--edge=http://localhost:" + ports.edgeAdmin,
            "--streams=http://localhost:" + ports.streamsAdmin,
            "--connect=http://localhost:" + ports.connect,
            "--connect-metrics=http://localhost:" + ports.connectMetrics,
            "--interval=1");
    return new Status(exit, text.toString());
  }

  /** Free ports for every listener of the dev pipeline. */
  private static final class Ports {
    final int grpc = FreePorts.next();
    final int http = FreePorts.next();
    final int edgeAdmin = FreePorts.next();
    final int streamsAdmin = FreePorts.next();
    final int kafka = FreePorts.next();
    final int connect = FreePorts.next();
    final int connectMetrics = FreePorts.next();
  }

  private void startDev(Ports ports, String loki) throws Exception {
    Path edgeConfig = dir.resolve("edge.yaml");
    Files.writeString(
        edgeConfig,
        "grpc: {port: %d}\nhttp: {port: %d}\nadmin: {port: %d}\n"
            .formatted(ports.grpc, ports.http, ports.edgeAdmin));
    Path output = dir.resolve("dev.out");
    ProcessBuilder pb =
        new ProcessBuilder(
                ROOT.resolve("otelstream").toString(),
                "dev",
                "--data-dir=" + dir.resolve("data"),
                "--kafka-port=" + ports.kafka,
                "--connect-port=" + ports.connect,
                "--connect-metrics-port=" + ports.connectMetrics,
                "--streams-admin-port=" + ports.streamsAdmin,
                "--edge-config=" + edgeConfig,
                "--loki=" + loki)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().put("OTELSTREAM_REBUILD", "0"); // the build made the jar; never rebuild
    pb.environment().put("OTELSTREAM_JAVA_OPTS", "-Xmx1g");
    Process dev = pb.start();
    processes.add(dev);
    Awaitility.await("dev ready")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(dev.isAlive()).as("dev exited:\n%s", Files.readString(output)).isTrue();
              return Files.readString(output).contains("otelstream dev is ready")
                  && statusCode("http://localhost:" + ports.edgeAdmin + "/health/ready") == 200
                  && statusCode("http://localhost:" + ports.streamsAdmin + "/health/ready") == 200;
            });
  }

  private String startPrometheus(Ports ports) throws Exception {
    int port = FreePorts.next();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: [%s]
        scrape_configs:
          - job_name: otelstream-edge
            static_configs: [{targets: ["localhost:%d"]}]
          - job_name: otelstream-streams
            static_configs: [{targets: ["localhost:%d"]}]
          - job_name: otelstream-connect
            static_configs: [{targets: ["localhost:%d"]}]
        """
            .formatted(RULES, ports.edgeAdmin, ports.streamsAdmin, ports.connectMetrics));
    Path binary = Path.of("/usr/bin/prometheus");
    assertThat(binary).as("Debian's prometheus package (.ci/run installs it)").isExecutable();
    processes.add(
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start());
    String base = "http://127.0.0.1:" + port;
    Awaitility.await("prometheus ready")
        .atMost(Duration.ofSeconds(60))
        .until(() -> statusCode(base + "/-/ready") == 200);
    return base;
  }

  private Process startVictoriaLogs(int port) throws Exception {
    Process p =
        TestReceivers.start(
            "victoria-logs",
            dir.resolve("victoria-logs.log"),
            "http://127.0.0.1:" + port + "/health",
            "-httpListenAddr=127.0.0.1:" + port,
            "-storageDataPath=" + dir.resolve("victoria-logs"));
    processes.add(p);
    return p;
  }

  @AfterEach
  void stop() throws Exception {
    sending.set(false);
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static JsonNode query(String prometheus, String promql) throws Exception {
    return get(
        prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  private static JsonNode get(String url) throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static void put(int connect, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + connect + path))
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("PUT %s: %s", path, r.body()).isBetween(200, 299);
  }

  private static int statusCode(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
