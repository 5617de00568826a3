package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClientResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CORS, the admin endpoints and a 16 MiB gRPC export. */
class HttpFeaturesIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static TestEdge edge;

  @BeforeAll
  static void start() {
    edge =
        TestEdge.start(
            kafka, "cors: {allowed_origins: [\"https://app.example.com\"], max_age: 10m}\n");
  }

  @AfterAll
  static void stop() {
    edge.close();
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return Otlp.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void corsPreflightForAnAllowedOriginOnly() throws Exception {
    HttpResponse<String> allowed =
        send(
            HttpRequest.newBuilder(URI.create(edge.httpUrl("/v1/traces")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST"));
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.example.com");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
    assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");

    HttpResponse<String> denied =
        send(
            HttpRequest.newBuilder(URI.create(edge.httpUrl("/v1/traces")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    HttpResponse<byte[]> post =
        Otlp.post(
            edge.httpUrl("/v1/traces"),
            "application/x-protobuf",
            Otlp.traces(Otlp.randomTraceId()).toByteArray(),
            "Origin",
            "https://app.example.com");
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.example.com");
  }

  @Test
  void adminEndpoints() throws Exception {
    String admin = "http://localhost:" + edge.server.adminPort();
    assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/health/live"))).statusCode())
        .isEqualTo(200);
    HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create(admin + "/health/ready")));
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"ready\"");
    Otlp.post(edge.httpUrl("/v1/traces"), "text/plain", "x".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(admin + "/metrics")));
    assertThat(metrics.body())
        .contains("otelstream_edge_requests_received_total{signal=\"traces\",transport=\"http\"}")
        .contains(
            "otelstream_edge_requests_rejected_total{reason=\"unsupported_media_type\",signal=\"traces\",transport=\"http\"}")
        .contains("otelstream_edge_inflight_bytes")
        .contains("jvm_memory_used_bytes")
        // the producer's own metrics: how many produce requests, how many records in each
        .contains("kafka_producer_request_total")
        .contains("kafka_producer_records_per_request_avg");
  }

  @Test
  void sixteenMebibyteGrpcExportIsAccepted() throws Exception {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    String payload = "p".repeat(200);
    int traces = 0;
    while (scope.build().getSerializedSize() < 16 << 20) {
      com.google.protobuf.ByteString trace = Otlp.randomTraceId();
      traces++;
      for (int s = 1; s <= 10; s++) {
        scope.addSpans(
            Span.newBuilder().setTraceId(trace).setSpanId(Otlp.spanId(s)).setName(payload));
      }
    }
    byte[] body =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
            .build()
            .toByteArray();
    long before = edge.count(Topic.TRACES);
    Vertx vertx = Vertx.vertx();
    try {
      GrpcClientResponse<Buffer, Buffer> response =
          GrpcCalls.export(vertx, edge.server.grpcPort(), body, null);
      assertThat(response.status().code).isZero();
    } finally {
      vertx.close();
    }
    assertThat(edge.count(Topic.TRACES) - before).isEqualTo(traces);
  }
}
