package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClientResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every bad request gets its documented status and message, nothing is written for it, and the next
 * good request still succeeds.
 */
class BadInputIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static final String TOKEN = "s3cret-token";
  private static final String PROTOBUF = "application/x-protobuf";
  private static TestEdge edge;
  private static Vertx vertx;
  private long before;

  @BeforeAll
  static void start() {
    edge =
        TestEdge.start(
            kafka,
            "auth:\n  tokens:\n    - {token: "
                + TOKEN
                + ", tenant: acme}\n"
                + "limits: {max_request_bytes: 64KiB, max_decompressed_bytes: 256KiB, max_inflight_bytes: 2MiB}\n");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    edge.close();
    vertx.close();
  }

  @BeforeEach
  void countBefore() {
    before = edge.count(Topic.TRACES);
  }

  @AfterEach
  void nothingWrittenAndStillServing() throws Exception {
    assertThat(edge.count(Topic.TRACES))
        .as("records written for a rejected request")
        .isEqualTo(before);
    HttpResponse<byte[]> good = post(PROTOBUF, Otlp.traces(Otlp.randomTraceId()).toByteArray());
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(edge.count(Topic.TRACES)).isEqualTo(before + 1);
  }

  private static HttpResponse<byte[]> post(String contentType, byte[] body, String... headers)
      throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + TOKEN;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return Otlp.post(edge.httpUrl("/v1/traces"), contentType, body, all);
  }

  private static Status status(HttpResponse<byte[]> r) throws Exception {
    return Status.parseFrom(r.body());
  }

  @Test
  void malformedProtobufIs400() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, new byte[] {0x0a, (byte) 0xff, 0x01});
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(status(r).getMessage()).contains("not a valid ExportTraceServiceRequest");
  }

  @Test
  void malformedJsonIs400WithJsonBody() throws Exception {
    HttpResponse<byte[]> r =
        post("application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("not valid JSON");
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    HttpResponse<byte[]> r = post("text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("text/plain")
        .contains("is not supported");
  }

  @Test
  void wrongMethodIs405AndUnknownPathIs404() throws Exception {
    HttpResponse<byte[]> get =
        Otlp.HTTP.send(
            HttpRequest.newBuilder(URI.create(edge.httpUrl("/v1/traces"))).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<byte[]> missing = Otlp.post(edge.httpUrl("/v1/spans"), PROTOBUF, new byte[0]);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("use /v1/traces");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    HttpResponse<byte[]> r = post(PROTOBUF, new byte[100 * 1024]);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r).getMessage()).contains("larger than the limit of 65536 bytes");
    assertThat(status(r).getDetailsCount()).isZero();
  }

  @Test
  void gzipBombIs413() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[1 << 20]); // 1 MiB of zeros, a few KiB compressed
    }
    assertThat(out.size()).isLessThan(64 * 1024);
    HttpResponse<byte[]> r = post(PROTOBUF, out.toByteArray(), "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r).getMessage()).contains("inflates past the decompressed limit");
  }

  @Test
  void validGzipIsAccepted() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(Otlp.traces(Otlp.randomTraceId()).toByteArray());
    }
    assertThat(post(PROTOBUF, out.toByteArray(), "Content-Encoding", "gzip").statusCode())
        .isEqualTo(200);
    before++;
  }

  @Test
  void invalidIdsArePartialSuccessWithCounts() throws Exception {
    ByteString good = Otlp.randomTraceId();
    byte[] body =
        Otlp.traces(good, ByteString.copyFrom(new byte[16]), ByteString.copyFrom(new byte[5]))
            .toByteArray();
    HttpResponse<byte[]> r = post(PROTOBUF, body);
    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("invalid trace ID: must not be all zero");
    before++; // the valid span was written
  }

  @Test
  void missingAndWrongTokenAre401() throws Exception {
    byte[] body = Otlp.traces(Otlp.randomTraceId()).toByteArray();
    HttpResponse<byte[]> missing = Otlp.post(edge.httpUrl("/v1/traces"), PROTOBUF, body);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(status(missing).getMessage()).contains("missing bearer token");
    HttpResponse<byte[]> wrong =
        Otlp.post(edge.httpUrl("/v1/traces"), PROTOBUF, body, "Authorization", "Bearer nope");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(status(wrong).getMessage()).isEqualTo("bearer token is not valid");
  }

  @Test
  void tenantOfTheTokenIsInTheRecordHeader() throws Exception {
    ByteString trace = Otlp.randomTraceId();
    assertThat(post(PROTOBUF, Otlp.traces(trace).toByteArray()).statusCode()).isEqualTo(200);
    before++;
    String key = io.otelstream.schemas.RecordKeys.traceKeyString(trace);
    var record =
        edge.records(Topic.TRACES).stream()
            .filter(r -> new String(r.key(), StandardCharsets.US_ASCII).equals(key))
            .findFirst()
            .orElseThrow();
    assertThat(
            new String(
                record.headers().lastHeader("otelstream.tenant").value(), StandardCharsets.UTF_8))
        .isEqualTo("acme");
  }

  @Test
  void grpcErrorsCarryTheirCodes() throws Exception {
    GrpcClientResponse<Buffer, Buffer> malformed =
        grpc(new byte[] {0x0a, (byte) 0xff}, "Bearer " + TOKEN);
    assertThat(malformed.status().code).isEqualTo(3); // INVALID_ARGUMENT
    GrpcClientResponse<Buffer, Buffer> unauthenticated =
        grpc(Otlp.traces(Otlp.randomTraceId()).toByteArray(), null);
    assertThat(unauthenticated.status().code).isEqualTo(16);
    GrpcClientResponse<Buffer, Buffer> tooLarge = grpc(new byte[100 * 1024], "Bearer " + TOKEN);
    assertThat(tooLarge.status().code).isEqualTo(8); // RESOURCE_EXHAUSTED
    Status details = Status.parseFrom(Base64.getDecoder().decode(GrpcCalls.details(tooLarge)));
    assertThat(details.getDetailsCount()).as("no RetryInfo on 413").isZero();
  }

  private GrpcClientResponse<Buffer, Buffer> grpc(byte[] body, String authorization)
      throws Exception {
    return GrpcCalls.export(vertx, edge.server.grpcPort(), body, authorization);
  }
}
