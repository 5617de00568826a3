package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.kafka.FreePorts;
import io.otelstream.perf.LoadGenerator;
import io.otelstream.perf.LoadOptions;
import io.otelstream.sinks.RemoteWriteReceivers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./otelstream dev --mimir URL} (its own embedded Kafka; span metrics, service graph,
 * exemplars, 10% + errors sampling from its built-in configuration), the load generator's service
 * topology through its edge, and a real Prometheus with exemplar storage receiving remote write:
 * the calls add up to exactly the spans acknowledged, errors to the error spans, every exemplar
 * points at a kept trace, and the service graph is the generated topology.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpanMetricsIT {
  @TempDir static Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private RemoteWriteReceivers prometheus;
  private Process dev;
  private Path output;
  private int grpcPort;
  private int kafkaPort;

  @BeforeAll
  void startDevMode() throws Exception {
    prometheus = new RemoteWriteReceivers(dir);
    grpcPort = FreePorts.next();
    kafkaPort = FreePorts.next();
    int edgeAdmin = FreePorts.next();
    int streamsAdmin = FreePorts.next();
    Path edgeConfig = dir.resolve("edge.yaml");
    Files.writeString(
        edgeConfig,
        "grpc: {port: %d}\nhttp: {port: %d}\nadmin: {port: %d}\n"
            .formatted(grpcPort, FreePorts.next(), edgeAdmin));
    output = dir.resolve("dev.out");
    Path root = Path.of("..").toAbsolutePath().normalize();
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("otelstream").toString(),
                "dev",
                "--data-dir",
                dir.resolve("data").toString(),
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--connect-port",
                Integer.toString(FreePorts.next()),
                "--connect-metrics-port",
                Integer.toString(FreePorts.next()),
                "--streams-admin-port",
                Integer.toString(streamsAdmin),
                "--edge-config",
                edgeConfig.toString(),
                "--mimir",
                prometheus.prometheus + "/api/v1/write")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    // The build already made the jar; the test runs it, never rebuilds.
    pb.environment().put("OTELSTREAM_REBUILD", "0");
    pb.environment().put("OTELSTREAM_JAVA_OPTS", "-Xmx768m");
    dev = pb.start();
    Awaitility.await("dev ready")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(dev.isAlive()).as("dev exited early:\n%s", read()).isTrue();
              return read().contains("otelstream dev is ready")
                  && status("http://localhost:" + edgeAdmin + "/health/ready") == 200
                  && status("http://localhost:" + streamsAdmin + "/health/ready") == 200;
            });
  }

  @AfterAll
  void stop() throws Exception {
    if (dev != null) {
      dev.destroy();
      if (!dev.waitFor(30, TimeUnit.SECONDS)) {
        dev.destroyForcibly().waitFor();
      }
    }
    if (prometheus != null) {
      prometheus.close();
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
    assertThat(sent.failedRequestsInAll()).as("failed exports:\n%s", sent.summary()).isZero();
    long spans = sent.acknowledgedSpans();
    long traces = spans / 4;
    long errors = sent.acknowledgedErrorSpans();
    assertThat(traces).isGreaterThan(1000);
    assertThat(errors).isPositive();

    // Every span, kept or dropped, exactly once.
    awaitValue("sum(traces_span_metrics_calls_total)", spans);
    assertThat(value("sum(traces_span_metrics_calls_total{status_code=\"STATUS_CODE_ERROR\"})"))
        .isEqualTo(errors);

    // The service graph: user -> web -> checkout -> postgresql, one request each per trace. Its
    // edges are counted when a trace is decided, a decision wait after its spans' metrics, so
    // they are awaited; once there, every trace is decided and its kept spans committed.
    Map<String, Double> topology =
        Map.of(
            "user->web/virtual_node", (double) traces,
            "web->checkout/", (double) traces,
            "checkout->postgresql/virtual_node", (double) traces);
    Awaitility.await("the service graph")
        .atMost(120, TimeUnit.SECONDS)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(
                        byEdge(
                            "sum by (client, server, connection_type)"
                                + " (traces_service_graph_request_total)"))
                    .containsExactlyInAnyOrderEntriesOf(topology));

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

    // The failures and latencies may come in a later remote write than the requests.
    Awaitility.await("the service graph's failures and latencies")
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
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
            });
  }

  /** Trace IDs in dev mode's otlp-traces-sampled, read committed from the start to the end. */
  private Set<String> keptTraceIds() throws Exception {
    Map<String, Object> c =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "localhost:" + kafkaPort,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor("otlp-traces-sampled").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read otlp-traces-sampled in time").isLessThan(deadline);
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          for (var rs : ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
            for (var ss : rs.getScopeSpansList()) {
              for (var span : ss.getSpansList()) {
                ids.add(HexFormat.of().formatHex(span.getTraceId().toByteArray()));
              }
            }
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

  private String read() throws java.io.IOException {
    return Files.readString(output);
  }

  private static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
