package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelstream.kafka.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClientResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bounded, seeded fuzzing of every edge endpoint: mutated and random bodies over HTTP (protobuf and
 * JSON, plain and gzip, some gzip corrupt) and gRPC. Every answer is one of the documented
 * client-error or success statuses (no 5xx: no internal error either), nothing hangs, and a good
 * request right after each bad one succeeds.
 */
class FuzzIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  private static final long SEED = 20261201L;
  private static final int HTTP_CASES = 1500;
  private static final int GRPC_EVERY = 5;
  private static final Set<Integer> HTTP_ALLOWED = Set.of(200, 400, 413, 415);
  private static final Set<Integer> GRPC_ALLOWED = Set.of(0, 3, 8); // OK, INVALID_ARGUMENT, size

  private enum Endpoint {
    TRACES("/v1/traces"),
    METRICS("/v1/metrics"),
    LOGS("/v1/logs");

    final String path;

    Endpoint(String path) {
      this.path = path;
    }
  }

  @Test
  void mutatedAndRandomBodiesGetDocumentedAnswersAndTheEdgeKeepsServing() throws Exception {
    Random random = new Random(SEED);
    Vertx vertx = Vertx.vertx();
    Map<String, Integer> outcomes = new TreeMap<>();
    try (TestEdge edge = TestEdge.start(kafka, "limits: {max_request_bytes: 64KiB}\n")) {
      for (int i = 0; i < HTTP_CASES; i++) {
        Endpoint e = Endpoint.values()[random.nextInt(3)];
        boolean json = random.nextInt(3) == 0;
        byte[] body = mutate(random, seed(e, json, random), json);
        boolean gzip = random.nextInt(10) < 3;
        if (gzip) {
          body = gzip(body);
          if (random.nextInt(6) == 0) {
            body[random.nextInt(body.length)] ^= (byte) (1 + random.nextInt(255));
          }
        }
        int status =
            post(edge, e.path, json ? "application/json" : "application/x-protobuf", body, gzip)
                .statusCode();
        outcomes.merge("http " + status, 1, Integer::sum);
        assertThat(HTTP_ALLOWED)
            .as(
                "case %d: %s %s%s, %d bytes",
                i, e, json ? "json" : "protobuf", gzip ? " gzip" : "", body.length)
            .contains(status);
        assertGoodRequestSucceeds(edge, random);

        if (i % GRPC_EVERY == 0) {
          byte[] grpcBody = mutate(random, seed(Endpoint.TRACES, false, random), false);
          GrpcClientResponse<Buffer, Buffer> r =
              GrpcCalls.export(vertx, edge.server.grpcPort(), grpcBody, null);
          outcomes.merge("grpc " + r.status().code, 1, Integer::sum);
          assertThat(GRPC_ALLOWED)
              .as("gRPC case %d, %d bytes", i, grpcBody.length)
              .contains(r.status().code);
          assertThat(
                  GrpcCalls.export(
                          vertx,
                          edge.server.grpcPort(),
                          Otlp.traces(Otlp.randomTraceId()).toByteArray(),
                          null)
                      .status()
                      .code)
              .as("a good gRPC export right after gRPC case %d", i)
              .isZero();
        }
      }
    } finally {
      vertx.close();
    }
    System.out.println("FuzzIT outcomes: " + outcomes);
    assertThat(outcomes.keySet()).contains("http 200", "http 400");
  }

  private static void assertGoodRequestSucceeds(TestEdge edge, Random random) throws Exception {
    ByteString id = Otlp.randomTraceId();
    assertThat(
            post(edge, "/v1/traces", "application/x-protobuf", Otlp.traces(id).toByteArray(), false)
                .statusCode())
        .as("a good request right after a bad one")
        .isEqualTo(200);
  }

  private static HttpResponse<byte[]> post(
      TestEdge edge, String path, String contentType, byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(edge.httpUrl(path)))
            .timeout(Duration.ofSeconds(15)) // a hang fails the case, not the whole run
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      b.header("Content-Encoding", "gzip");
    }
    return Otlp.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A valid request of the endpoint's signal, in protobuf or OTLP/JSON. */
  private static byte[] seed(Endpoint e, boolean json, Random random) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    String hexId = HexFormat.of().formatHex(id);
    KeyValue attr =
        KeyValue.newBuilder()
            .setKey("k")
            .setValue(AnyValue.newBuilder().setStringValue("v" + random.nextInt(100)))
            .build();
    return switch (e) {
      case TRACES ->
          json
              ? ("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                      + "\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"spans\":[{"
                      + "\"traceId\":\""
                      + hexId
                      + "\",\"spanId\":\"0102030405060708\",\"name\":\"op\","
                      + "\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}")
                  .getBytes(StandardCharsets.UTF_8)
              : Otlp.traces(ByteString.copyFrom(id), Otlp.randomTraceId()).toByteArray();
      case METRICS ->
          json
              ? ("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\","
                      + "\"gauge\":{\"dataPoints\":[{\"asDouble\":1.5,\"timeUnixNano\":\"3\"}]}}]}]}]}")
                  .getBytes(StandardCharsets.UTF_8)
              : ExportMetricsServiceRequest.newBuilder()
                  .addResourceMetrics(
                      ResourceMetrics.newBuilder()
                          .addScopeMetrics(
                              ScopeMetrics.newBuilder()
                                  .addMetrics(
                                      Metric.newBuilder()
                                          .setName("m")
                                          .setGauge(
                                              Gauge.newBuilder()
                                                  .addDataPoints(
                                                      NumberDataPoint.newBuilder()
                                                          .setAsDouble(1.5)
                                                          .addAttributes(attr))))))
                  .build()
                  .toByteArray();
      case LOGS ->
          json
              ? ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
                      + "{\"stringValue\":\"hello\"},\"traceId\":\""
                      + hexId
                      + "\"}]}]}]}")
                  .getBytes(StandardCharsets.UTF_8)
              : ExportLogsServiceRequest.newBuilder()
                  .addResourceLogs(
                      ResourceLogs.newBuilder()
                          .addScopeLogs(
                              ScopeLogs.newBuilder()
                                  .addLogRecords(
                                      LogRecord.newBuilder()
                                          .setBody(AnyValue.newBuilder().setStringValue("hello"))
                                          .addAttributes(attr))))
                  .build()
                  .toByteArray();
    };
  }

  private static final byte[] JSON_NOISE = "{}[]\",:0-9.ae\\ ".getBytes(StandardCharsets.UTF_8);

  /** One of a few mutations, sometimes none, sometimes a body that is all noise. */
  private static byte[] mutate(Random random, byte[] seed, boolean json) {
    byte[] b = seed.clone();
    switch (random.nextInt(8)) {
      case 0 -> {
        for (int n = 1 + random.nextInt(8); n > 0 && b.length > 0; n--) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
      case 2 -> {
        byte[] noise = new byte[1 + random.nextInt(16)];
        random.nextBytes(noise);
        b = splice(b, random.nextInt(b.length + 1), noise);
      }
      case 3 -> {
        byte[] all = new byte[random.nextInt(2048)];
        random.nextBytes(all);
        b = all;
      }
      case 4 -> {
        int from = random.nextInt(b.length);
        int to = from + random.nextInt(b.length - from);
        b = splice(b, random.nextInt(b.length + 1), java.util.Arrays.copyOfRange(b, from, to));
      }
      case 5 -> {
        if (json) {
          for (int n = 1 + random.nextInt(4); n > 0; n--) {
            b[random.nextInt(b.length)] = JSON_NOISE[random.nextInt(JSON_NOISE.length)];
          }
        } else {
          // A varint that never ends, or a length far past the end.
          b =
              splice(
                  b,
                  random.nextInt(b.length + 1),
                  new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
        }
      }
      case 6 -> {
        // Nesting deeper than any sane message: LEN fields inside LEN fields.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int depth = 50 + random.nextInt(150);
        byte[] inner = json ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        for (int d = 0; d < depth; d++) {
          inner =
              json
                  ? ("{\"a\":" + new String(inner, StandardCharsets.UTF_8) + "}")
                      .getBytes(StandardCharsets.UTF_8)
                  : lenField(inner);
        }
        out.writeBytes(inner);
        b = out.toByteArray();
      }
      default -> {} // the seed itself: must be accepted
    }
    return b;
  }

  private static byte[] lenField(byte[] inner) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x0a); // field 1, LEN
    int n = inner.length;
    while (n >= 0x80) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.writeBytes(inner);
    return out.toByteArray();
  }

  private static byte[] splice(byte[] b, int at, byte[] insert) {
    byte[] out = new byte[b.length + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at, out, at + insert.length, b.length - at);
    return out;
  }

  private static byte[] gzip(byte[] body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(body);
    }
    return out.toByteArray();
  }
}
