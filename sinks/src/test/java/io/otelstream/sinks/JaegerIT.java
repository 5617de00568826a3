package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Tempo sink over OTLP/gRPC and OTLP/HTTP against a real, independent OTLP trace receiver:
 * Jaeger v2 with in-memory storage, reading each trace back by ID through Jaeger's query API. What
 * the Tempo test double accepts, a real receiver stores, span by span, with the resource.
 */
class JaegerIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Process jaeger;
  private int grpc;
  private int http;
  private String query;

  @BeforeEach
  void startJaeger() throws Exception {
    grpc = io.otelstream.kafka.FreePorts.next();
    http = io.otelstream.kafka.FreePorts.next();
    int queryPort = io.otelstream.kafka.FreePorts.next();
    query = "http://127.0.0.1:" + queryPort;
    Path config = dir.resolve("jaeger.yaml");
    Files.writeString(
        config,
        """
        service:
          extensions: [jaeger_storage, jaeger_query]
          pipelines:
            traces: {receivers: [otlp], exporters: [jaeger_storage_exporter]}
          telemetry:
            metrics: {level: none}
        extensions:
          jaeger_storage:
            backends:
              memstore: {memory: {max_traces: 10000}}
          jaeger_query:
            storage: {traces: memstore}
            http: {endpoint: "127.0.0.1:%d"}
            grpc: {endpoint: "127.0.0.1:%d"}
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:%d"}
              http: {endpoint: "127.0.0.1:%d"}
        exporters:
          jaeger_storage_exporter: {trace_storage: memstore}
        """
            .formatted(queryPort, io.otelstream.kafka.FreePorts.next(), grpc, http));
    jaeger =
        TestReceivers.start(
            "jaeger", dir.resolve("jaeger.log"), query + "/api/services", "--config=" + config);
  }

  @AfterEach
  void stopJaeger() throws Exception {
    jaeger.destroy();
    jaeger.waitFor(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void keptTracesAreStoredSpanBySpanWithTheirResource(String protocol) throws Exception {
    String topic = "jaeger-" + protocol;
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    byte[][] traceIds = {id(16, 1), id(16, 2), id(16, 3)};
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int t = 0; t < traceIds.length; t++) {
        p.send(new ProducerRecord<>(topic, traceIds[t], trace(traceIds[t], "checkout", 2 + t)));
      }
    }
    String url =
        protocol.equals("grpc")
            ? "http://127.0.0.1:" + grpc
            : "http://127.0.0.1:" + http + "/v1/traces";
    try (EmbeddedConnect connect =
        EmbeddedConnect.start(kafka.bootstrapServers(), "jaeger-it-" + protocol)) {
      connect.put(
          "/connectors/to-jaeger-" + protocol + "/config",
          """
          {"connector.class": "io.otelstream.sinks.tempo.TempoSinkConnector", "topics": "%s",
           "otlp.signal": "traces", "tempo.protocol": "%s", "backend.url": "%s",
           "batch.linger.ms": "100"}
          """
              .formatted(topic, protocol, url));
      for (int t = 0; t < traceIds.length; t++) {
        String hex = HexFormat.of().formatHex(traceIds[t]);
        int expected = 2 + t;
        JsonNode stored =
            Awaitility.await("trace " + hex + " in jaeger")
                .atMost(60, TimeUnit.SECONDS)
                .pollInterval(500, TimeUnit.MILLISECONDS)
                .until(
                    () -> storedTrace(hex), n -> n != null && n.path("spans").size() == expected);
        TreeSet<String> names = new TreeSet<>();
        stored.path("spans").forEach(s -> names.add(s.path("operationName").asText()));
        assertThat(names).containsExactly(spanNames(expected).toArray(String[]::new));
        JsonNode process = stored.path("processes").elements().next();
        assertThat(process.path("serviceName").asText()).isEqualTo("checkout");
        assertThat(process.path("tags").toString()).contains("deployment.environment", "prod");
        assertThat(stored.path("spans").get(0).path("tags").toString())
            .contains("http.route", "/pay");
      }
    }
  }

  private JsonNode storedTrace(String hex) throws Exception {
    HttpResponse<String> r = get(query + "/api/traces/" + hex);
    if (r.statusCode() != 200) {
      return null;
    }
    JsonNode data = JSON.readTree(r.body()).path("data");
    return data.isEmpty() ? null : data.get(0);
  }

  private static List<String> spanNames(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "span-" + i).toList();
  }

  private static byte[] trace(byte[] traceId, String service, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(id(8, i + 1)))
              .setName("span-" + i)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(now + i * 1_000_000L)
              .setEndTimeUnixNano(now + (i + 1) * 1_000_000L)
              .addAttributes(kv("http.route", "/pay")));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", service))
                        .addAttributes(kv("deployment.environment", "prod")))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  private static byte[] id(int length, int seed) {
    byte[] id = new byte[length];
    for (int i = 0; i < length; i++) {
      id[i] = (byte) (seed * 31 + i + 1);
    }
    return id;
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
