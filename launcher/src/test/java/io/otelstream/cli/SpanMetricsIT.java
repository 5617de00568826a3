package io.otelstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.perf.LoadGenerator;
import io.otelstream.perf.LoadOptions;
import io.otelstream.sinks.RemoteWriteReceivers;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * Dev mode's streams configuration (span metrics, service graph, exemplars, 10% + errors sampling)
 * on a real broker, the load generator's service topology through the edge, Connect's Mimir sink
 * and a real Prometheus with exemplar storage: the calls add up to exactly the spans acknowledged,
 * errors to the error spans, every exemplar points at a kept trace, and the service graph is the
 * generated topology.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpanMetricsIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir static Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();
  private RemoteWriteReceivers prometheus;
  private TopicCatalog catalog;
  private int grpcPort;

  @BeforeAll
  void startPipeline() throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of());
    String topics = "{prefix: sm., replication_factor: 1, min_insync_replicas: 1}";
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
    String devStreams;
    try (InputStream in =
        StreamsApp.class.getResourceAsStream("/io/otelstream/streams/dev-streams.yaml")) {
      devStreams = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StreamsAppConfig streamsConfig =
        loader.parse(
            devStreams
                + """
                application_id: sm
                state_dir: %s
                admin: {port: 0}
                kafka: {bootstrap.servers: "%s", commit.interval.ms: 200}
                topics: %s
                """
                    .formatted(dir.resolve("streams"), kafka.bootstrapServers(), topics),
            StreamsAppConfig.class,
            "dev-streams.yaml");
    catalog = new TopicCatalog(edgeConfig.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    prometheus = new RemoteWriteReceivers(dir);
    running.add(prometheus);
    int connectPort;
    try (ServerSocket s = new ServerSocket(0)) {
      connectPort = s.getLocalPort();
    }
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
                    "span metrics sinks")));
    StreamsApp streams = StreamsApp.start(streamsConfig);
    running.add(0, streams);
    EdgeServer edge = EdgeServer.start(edgeConfig);
    running.add(0, edge);
    grpcPort = edge.grpcPort();
  }

  @AfterAll
  void stopPipeline() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  @Test
  void everySpanCountedExemplarsOnlyFromKeptTracesAndTheServiceGraphIsTheTopology()
      throws Exception {
    LoadOptions options = new LoadOptions();
    new CommandLine(options)
        .parseArgs(
            "--port=" + grpcPort,
            "--host=localhost",
            "--topology=services",
            "--rate=2000",
            "--traces-per-request=10",
            "--error-ratio=0.05",
            "--concurrency=2",
            "--connections=1",
            "--warmup=1",
            "--duration=5");
    LoadGenerator.Result sent = new LoadGenerator(options.validated()).run();
    assertThat(sent.failedRequestsInAll()).isZero();
    long spans = sent.acknowledgedSpans();
    long traces = spans / 4;
    long errors = sent.acknowledgedErrorSpans();
    assertThat(traces).isGreaterThan(1000);
    assertThat(errors).isPositive();

    // Every span, kept or dropped, exactly once.
    awaitValue("sum(traces_span_metrics_calls_total)", spans);
    assertThat(value("sum(traces_span_metrics_calls_total{status_code=\"STATUS_CODE_ERROR\"})"))
        .isEqualTo(errors);

    // Dev mode keeps errors and 10% of the rest.
    Set<String> kept = keptTraceIds();
    double share = kept.size() / (double) traces;
    assertThat(share).as("kept share of %d traces", traces).isBetween(0.10, 0.22);

    // Exemplars point only at kept traces.
    Set<String> exemplarTraces = exemplarTraceIds();
    assertThat(exemplarTraces).isNotEmpty();
    assertThat(exemplarTraces).as("exemplar trace IDs not kept").isSubsetOf(kept);
    System.out.printf(
        "SpanMetricsIT: %d traces, %d spans, %d error spans acknowledged; %d traces kept (%.1f%%);"
            + " %d exemplar trace IDs, all kept%n",
        traces, spans, errors, kept.size(), 100 * share, exemplarTraces.size());

    // The service graph: user -> web -> checkout -> postgresql, one request each per trace.
    Map<String, Double> edges =
        byEdge("sum by (client, server, connection_type) (traces_service_graph_request_total)");
    assertThat(edges)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "user->web/virtual_node", (double) traces,
                "web->checkout/", (double) traces,
                "checkout->postgresql/virtual_node", (double) traces));
    assertThat(
            byEdge(
                "sum by (client, server, connection_type)"
                    + " (traces_service_graph_request_failed_total)"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("web->checkout/", (double) errors));
    assertThat(
            value(
                "sum(traces_service_graph_request_server_seconds_count{client=\"web\","
                    + "server=\"checkout\"})"))
        .isEqualTo(traces);
  }

  private Set<String> keptTraceIds() throws Exception {
    Set<String> ids = new HashSet<>();
    for (var r : kafka.readAll(catalog.name(Topic.TRACES_SAMPLED))) {
      for (var rs : ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
        for (var ss : rs.getScopeSpansList()) {
          for (var span : ss.getSpansList()) {
            ids.add(HexFormat.of().formatHex(span.getTraceId().toByteArray()));
          }
        }
      }
    }
    return ids;
  }

  private Set<String> exemplarTraceIds() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonNode data =
        query(
                "/api/v1/query_exemplars?query="
                    + enc("{__name__=~\"traces_span_metrics_duration.*_bucket\"}")
                    + "&start="
                    + (now - 600)
                    + "&end="
                    + (now + 60))
            .path("data");
    Set<String> ids = new HashSet<>();
    for (JsonNode series : data) {
      for (JsonNode e : series.path("exemplars")) {
        ids.add(e.path("labels").path("trace_id").asText());
      }
    }
    return ids;
  }

  private Map<String, Double> byEdge(String promql) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode s : query("/api/v1/query?query=" + enc(promql)).path("data").path("result")) {
      JsonNode m = s.path("metric");
      out.put(
          m.path("client").asText()
              + "->"
              + m.path("server").asText()
              + "/"
              + m.path("connection_type").asText(),
          s.path("value").get(1).asDouble());
    }
    return out;
  }

  private void awaitValue(String promql, double expected) {
    Awaitility.await()
        .atMost(120, TimeUnit.SECONDS)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(value(promql)).as(promql).isEqualTo(expected));
  }

  private double value(String promql) throws Exception {
    JsonNode result = query("/api/v1/query?query=" + enc(promql)).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
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
