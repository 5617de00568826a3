package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.otelstream.cli.Otelstream;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.sinks.RemoteWriteReceivers;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The OpenTelemetry Java SDK → edge → streams (label actions, aggregation, cardinality guard) →
 * Connect's Mimir sink → a real Prometheus receiving remote write. Dropping attributes keeps totals
 * true; source resets and stopped senders never make the aggregate decrease; the guard drops an
 * attribute with thousands of values and overflows a metric over its series limit with the true
 * total; {@code otelstream cardinality} names what happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAggregationIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir static Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();
  private RemoteWriteReceivers prometheus;
  private String endpoint;
  private String edgeHttp;
  private StreamsApp streams;

  @BeforeAll
  void startPipeline() throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of());
    String topics = "{prefix: agg., replication_factor: 1, min_insync_replicas: 1}";
    EdgeConfig edgeConfig =
        loader.parse(
            "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 1\n"
                + "kafka: {bootstrap.servers: \""
                + kafka.bootstrapServers()
                + "\"}\ntopics: "
                + topics
                + "\n",
            EdgeConfig.class,
            "edge");
    StreamsAppConfig streamsConfig =
        loader.parse(
            """
            application_id: agg
            state_dir: %s
            admin: {port: 0}
            kafka: {bootstrap.servers: "%s", commit.interval.ms: 200}
            topics: %s
            tail_sampling: {policies: [{name: all, type: always_sample}]}
            metrics:
              attributes: [{key: user_id, action: delete}]
              resource_attributes: [{key: service.instance.id, action: delete}]
              aggregation: {interval: 2s, staleness: 20s}
            """
                .formatted(dir.resolve("streams"), kafka.bootstrapServers(), topics),
            StreamsAppConfig.class,
            "streams");
    TopicCatalog catalog = new TopicCatalog(edgeConfig.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    prometheus = new RemoteWriteReceivers(dir);
    running.add(prometheus);
    int connectPort = io.otelstream.kafka.FreePorts.next();
    running.add(
        0,
        new DevConnect(
            kafka.bootstrapServers(),
            connectPort,
            0,
            catalog,
            dir.resolve("files"),
            ConfigLoader.withSystemEnv()
                .parse(
                    "metrics: {connector: mimir, settings: {backend.url: \"%s/api/v1/write\"}}"
                        .formatted(prometheus.prometheus),
                    DevSinks.class,
                    "aggregation sinks")));
    streams = StreamsApp.start(streamsConfig);
    running.add(0, streams);
    EdgeServer edge = EdgeServer.start(edgeConfig);
    running.add(0, edge);
    endpoint = "http://localhost:" + edge.grpcPort();
    edgeHttp = "http://localhost:" + edge.httpPort();
  }

  @AfterAll
  void stopPipeline() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  /** An SDK "process": its own meter provider, exporting only when flushed. */
  private SdkMeterProvider sender(String service, String instance) {
    return SdkMeterProvider.builder()
        .setResource(
            Resource.create(
                Attributes.of(
                    AttributeKey.stringKey("service.name"),
                    service,
                    AttributeKey.stringKey("service.instance.id"),
                    instance)))
        .registerMetricReader(
            PeriodicMetricReader.builder(
                    OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).build())
                .setInterval(Duration.ofHours(1))
                .build(),
            // The SDK's own limit (2000) would overflow before the pipeline's guard sees the
            // series.
            instrumentType -> 20_000)
        .build();
  }

  private static DoubleHistogram duration(SdkMeterProvider p) {
    return p.get("shop").histogramBuilder("http.server.request.duration").setUnit("s").build();
  }

  private static Attributes user(int u) {
    return Attributes.of(AttributeKey.stringKey("user_id"), "u" + u);
  }

  @Test
  void deletingUserIdKeepsTheHistogramTrue() throws Exception {
    SdkMeterProvider sdk = sender("checkout", "c-1");
    DoubleHistogram h =
        sdk.get("checkout").histogramBuilder("checkout.duration").setUnit("s").build();
    for (int u = 0; u < 5; u++) {
      for (int r = 0; r < 8; r++) {
        h.record(0.105, user(u));
      }
    }
    sdk.forceFlush().join(30, TimeUnit.SECONDS);
    awaitValue("sum(checkout_duration_seconds_count)", 40);
    assertThat(value("sum(checkout_duration_seconds_sum)")).isCloseTo(4.2, within());
    assertThat(value("count(checkout_duration_seconds_count)")).isEqualTo(1);
    // Every evaluation after the first interval: 40, never the last write of one user's series.
    Thread.sleep(5000);
    for (double v : range("sum(checkout_duration_seconds_count)", 10)) {
      assertThat(v).isEqualTo(40);
    }
    sdk.close();
  }

  /**
   * An SDK that exports delta temporality (as the .NET SDK and many Go and Python configurations
   * do): each export carries only what happened since the last one; Prometheus sees the running
   * totals of a counter and a histogram, from two instances, across three exports.
   */
  @Test
  void deltaTemporalityReachesPrometheusAsCumulative() throws Exception {
    List<SdkMeterProvider> sdks = new ArrayList<>();
    for (String instance : List.of("d-1", "d-2")) {
      sdks.add(
          SdkMeterProvider.builder()
              .setResource(
                  Resource.create(
                      Attributes.of(
                          AttributeKey.stringKey("service.name"),
                          "ledger",
                          AttributeKey.stringKey("service.instance.id"),
                          instance)))
              .registerMetricReader(
                  PeriodicMetricReader.builder(
                          OtlpGrpcMetricExporter.builder()
                              .setEndpoint(endpoint)
                              .setAggregationTemporalitySelector(
                                  io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector
                                      .deltaPreferred())
                              .build())
                      .setInterval(Duration.ofHours(1))
                      .build())
              .build());
    }
    long entries = 0;
    double amount = 0;
    for (int round = 1; round <= 3; round++) {
      for (SdkMeterProvider sdk : sdks) {
        var counter = sdk.get("ledger").counterBuilder("ledger.entries").build();
        DoubleHistogram h =
            sdk.get("ledger").histogramBuilder("ledger.amount").setUnit("1").build();
        for (int i = 0; i < round * 3; i++) {
          counter.add(2, user(i));
          entries += 2;
          h.record(1.5, user(i));
          amount += 1.5;
        }
        sdk.forceFlush().join(30, TimeUnit.SECONDS);
      }
      awaitValue("sum(ledger_entries_total)", entries);
      awaitValue("sum(ledger_amount_count)", entries / 2.0);
      assertThat(value("sum(ledger_amount_sum)")).isCloseTo(amount, within());
    }
    for (SdkMeterProvider sdk : sdks) {
      sdk.close();
    }
  }

  /**
   * The same SDK delta exports through otelstream and through a Collector (v0.160.0: the same
   * deletions, then deltatocumulative and prometheus_remote_write into its own Prometheus). A
   * counter whose series stay apart reads the truth in both; one whose three user_id series
   * collapse reads the truth in otelstream, while deltatocumulative, which sees three deltas of one
   * stream over the same window, keeps one of each three (listed in the streams README).
   */
  @Test
  void deltasSideBySideWithTheCollectorsDeltaToCumulative() throws Exception {
    Path d = dir.resolve("collector-delta");
    java.nio.file.Files.createDirectories(d);
    try (RemoteWriteReceivers theirs = new RemoteWriteReceivers(d);
        io.otelstream.sinks.OtlpCapture capture = new io.otelstream.sinks.OtlpCapture()) {
      int otlp = io.otelstream.kafka.FreePorts.next();
      int telemetry = io.otelstream.kafka.FreePorts.next();
      Path config = d.resolve("collector.yaml");
      java.nio.file.Files.writeString(
          config,
          """
          receivers:
            otlp: {protocols: {http: {endpoint: "127.0.0.1:%d"}}}
          processors:
            attributes: {actions: [{key: user_id, action: delete}]}
            resource: {attributes: [{key: service.instance.id, action: delete}]}
            delta_to_cumulative: {}
          exporters:
            prometheus_remote_write: {endpoint: "%s/api/v1/write", tls: {insecure: true}}
          service:
            pipelines:
              metrics:
                receivers: [otlp]
                processors: [attributes, resource, delta_to_cumulative]
                exporters: [prometheus_remote_write]
            telemetry:
              metrics:
                level: normal
                readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: %d}}}}]
          """
              .formatted(otlp, theirs.prometheus, telemetry));
      Process collector =
          io.otelstream.sinks.TestReceivers.start(
              "otelcol-otelstream",
              d.resolve("collector.log"),
              "http://127.0.0.1:" + telemetry + "/metrics",
              "--config",
              config.toString());
      try {
        SdkMeterProvider sdk =
            SdkMeterProvider.builder()
                .setResource(
                    Resource.create(
                        Attributes.of(
                            AttributeKey.stringKey("service.name"),
                            "audit",
                            AttributeKey.stringKey("service.instance.id"),
                            "a-1")))
                .registerMetricReader(
                    PeriodicMetricReader.builder(
                            io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter
                                .builder()
                                .setEndpoint(capture.endpoint("metrics"))
                                .setAggregationTemporalitySelector(
                                    io.opentelemetry.sdk.metrics.export
                                        .AggregationTemporalitySelector.deltaPreferred())
                                .build())
                        .setInterval(Duration.ofHours(1))
                        .build())
                .build();
        LongCounter events = sdk.get("audit").counterBuilder("audit.events").build();
        LongCounter logins = sdk.get("audit").counterBuilder("audit.logins").build();
        for (int round = 0; round < 3; round++) {
          for (int u = 0; u < 3; u++) {
            events.add(1, user(u)); // three series that collapse into one
          }
          logins.add(2); // one series
          sdk.forceFlush().join(30, TimeUnit.SECONDS);
          Thread.sleep(20); // each export its own window
        }
        List<byte[]> bodies = capture.bodies("metrics"); // before close() exports once more
        sdk.close();
        assertThat(bodies).hasSize(3);
        for (byte[] body : bodies) {
          for (String url :
              List.of(edgeHttp + "/v1/metrics", "http://127.0.0.1:" + otlp + "/v1/metrics")) {
            HttpResponse<String> r =
                HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(url).isEqualTo(200);
          }
        }
        awaitValue("sum(audit_logins_total)", 6);
        awaitValue("sum(audit_events_total)", 9);
        Awaitility.await("the Collector's series")
            .atMost(60, TimeUnit.SECONDS)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () ->
                    assertThat(valueIn(theirs.prometheus, "sum(audit_logins_total)")).isEqualTo(6));
        double collectorEvents = valueIn(theirs.prometheus, "sum(audit_events_total)");
        System.out.printf(
            "deltas side by side: audit.events (3 series collapsing into 1, 9 sent): otelstream 9,"
                + " the Collector's deltatocumulative %.0f%n",
            collectorEvents);
        assertThat(collectorEvents)
            .as("deltatocumulative drops deltas of one stream over the same window")
            .isLessThan(9);
      } finally {
        collector.destroy();
        collector.waitFor();
      }
    }
  }

  private double valueIn(String base, String promql) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query=" + enc(promql))).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  @Test
  void threeInstancesAddUpThroughARestartAndAStop() throws Exception {
    List<SdkMeterProvider> sdks =
        new ArrayList<>(
            List.of(sender("shop", "i-0"), sender("shop", "i-1"), sender("shop", "i-2")));
    long truth = 0;
    for (SdkMeterProvider sdk : sdks) {
      DoubleHistogram h = duration(sdk);
      for (int u = 0; u < 5; u++) {
        for (int r = 0; r < 2; r++) {
          h.record(0.105, user(u));
          truth++;
        }
      }
      sdk.forceFlush().join(30, TimeUnit.SECONDS);
    }
    String count = "sum(http_server_request_duration_seconds_count)";
    awaitValue(count, truth);
    // i-0 restarts (a new SDK: new start time, counts from zero); i-2 stops for good.
    sdks.get(0).close();
    sdks.set(0, sender("shop", "i-0"));
    sdks.get(2).close();
    sdks.remove(2);
    for (int round = 0; round < 3; round++) {
      for (SdkMeterProvider sdk : sdks) {
        DoubleHistogram h = duration(sdk);
        for (int u = 0; u < 5; u++) {
          h.record(0.105, user(u));
          truth++;
        }
        sdk.forceFlush().join(30, TimeUnit.SECONDS);
      }
      awaitValue(count, truth);
    }
    // Past the staleness, the two live senders exporting every second as SDKs do: i-2's counts
    // stay folded into the total.
    for (int s = 0; s < 25; s++) {
      Thread.sleep(1000);
      for (SdkMeterProvider sdk : sdks) {
        sdk.forceFlush().join(30, TimeUnit.SECONDS);
      }
    }
    assertThat(value(count)).isEqualTo(truth);
    assertThat(value("sum(http_server_request_duration_seconds_sum)"))
        .isCloseTo(truth * 0.105, within());
    assertThat(value("count(http_server_request_duration_seconds_count)")).isEqualTo(1);
    assertThat(value("resets(http_server_request_duration_seconds_count[5m])"))
        .as("the aggregate never decreased: no counter reset seen by Prometheus")
        .isZero();
    for (double rate : range("rate(http_server_request_duration_seconds_count[10s])", 60)) {
      assertThat(rate).isGreaterThanOrEqualTo(0);
    }
    for (SdkMeterProvider sdk : sdks) {
      sdk.close();
    }
  }

  @Test
  void theGuardDropsRequestIdAndOverflowsAMetricOverItsSeriesLimit() throws Exception {
    SdkMeterProvider sdk = sender("api", "a-1");
    LongCounter calls = sdk.get("api").counterBuilder("api.calls").build();
    LongCounter routes = sdk.get("api").counterBuilder("route.calls").build();
    for (int r = 0; r < 5000; r++) {
      calls.add(1, Attributes.of(AttributeKey.stringKey("request_id"), "req-" + r));
    }
    // http.route is never dropped: past 2000 series the metric overflows.
    for (int r = 0; r < 2100; r++) {
      routes.add(2, Attributes.of(AttributeKey.stringKey("http.route"), "/items/" + r));
    }
    sdk.forceFlush().join(60, TimeUnit.SECONDS);
    awaitValue("sum(api_calls_total)", 5000);
    awaitValue("count(api_calls_total)", 1);
    for (double n : range("count(api_calls_total)", 60)) {
      assertThat(n).as("series of api_calls_total").isLessThanOrEqualTo(1001);
    }
    awaitValue("sum(route_calls_total)", 4200);
    assertThat(value("count(route_calls_total)")).isEqualTo(2001);
    assertThat(value("sum(route_calls_total{otel_metric_overflow=\"true\"})")).isEqualTo(200);
    sdk.close();

    StringWriter text = new StringWriter();
    CommandLine cli = Otelstream.commandLine();
    cli.setOut(new PrintWriter(text));
    int exit = cli.execute("cardinality", "--streams", "http://localhost:" + streams.adminPort());
    assertThat(exit).isZero();
    assertThat(text.toString())
        .contains("dropped attribute request_id from api.calls")
        .containsPattern("route.calls at its series limit since .*: [0-9]+ points went to");
    StringWriter json = new StringWriter();
    cli.setOut(new PrintWriter(json));
    assertThat(
            cli.execute(
                "cardinality",
                "--output",
                "json",
                "--streams",
                "http://localhost:" + streams.adminPort()))
        .isZero();
    JsonNode report = JSON.readTree(json.toString()).path("metrics");
    assertThat(report.findValuesAsText("metric")).contains("api.calls", "route.calls");
  }

  // --- Prometheus ----------------------------------------------------------------------------

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }

  private void awaitValue(String promql, double expected) {
    Awaitility.await()
        .atMost(90, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(value(promql)).as(promql).isEqualTo(expected));
  }

  private double value(String promql) throws Exception {
    JsonNode result = query("/api/v1/query?query=" + enc(promql)).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  /** The values of a single-series expression over the last {@code seconds}, every second. */
  private List<Double> range(String promql, int seconds) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonNode result =
        query(
                "/api/v1/query_range?query="
                    + enc(promql)
                    + "&start="
                    + (now - seconds)
                    + "&end="
                    + now
                    + "&step=1")
            .path("data")
            .path("result");
    List<Double> out = new ArrayList<>();
    for (JsonNode series : result) {
      for (JsonNode v : series.path("values")) {
        out.add(v.get(1).asDouble());
      }
    }
    return out;
  }

  private JsonNode query(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prometheus.prometheus + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
