package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bodies that start and never finish, over HTTP/2 (OTLP/gRPC and OTLP/HTTP): each is answered when
 * the read timeout passes (gRPC DEADLINE_EXCEEDED, HTTP 408), and what it reserved of the in-flight
 * budget is given back, so stalled clients cannot hold the edge full.
 */
class StalledUploadIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  static TestEdge edge;
  static Vertx vertx;
  static HttpClient h2;

  @BeforeAll
  static void start() {
    edge = TestEdge.start(kafka, "limits: {body_read_timeout: 2s}\n");
    vertx = Vertx.vertx();
    h2 =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
  }

  @AfterAll
  static void stop() {
    edge.close();
    vertx.close();
  }

  /** Opens a request, sends the start of its body and never ends it; returns the response. */
  private static HttpClientResponse stall(int port, String path, String contentType, Buffer start)
      throws Exception {
    return h2.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("localhost")
                .setPort(port)
                .setURI(path)
                .putHeader("content-type", contentType)
                .putHeader("te", "trailers"))
        .compose(
            (HttpClientRequest req) -> {
              req.setChunked(true);
              req.write(start);
              return req.response();
            })
        .compose(resp -> resp.body().transform(ar -> io.vertx.core.Future.succeededFuture(resp)))
        .await(20, TimeUnit.SECONDS);
  }

  private static double inflightBytes() throws Exception {
    String body =
        Otlp.HTTP
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + edge.server.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(l -> l.startsWith("otelstream_edge_inflight_bytes"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aStalledGrpcMessageIsAnsweredDeadlineExceededAndReleased() throws Exception {
    // The gRPC frame announces 1 MiB; 1 KiB of it arrives.
    Buffer start =
        Buffer.buffer().appendByte((byte) 0).appendInt(1 << 20).appendBytes(new byte[1024]);
    HttpClientResponse r =
        stall(
            edge.server.grpcPort(),
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
            "application/grpc",
            start);
    String status =
        r.trailers().get("grpc-status") != null
            ? r.trailers().get("grpc-status")
            : r.headers().get("grpc-status");
    assertThat(status).as("DEADLINE_EXCEEDED").isEqualTo("4");
    TestEdge.sleepUntil(() -> uncheckedInflight() == 0, 10);
  }

  @Test
  void aStalledHttp2BodyIsAnswered408AndReleased() throws Exception {
    HttpClientResponse r =
        stall(
            edge.server.httpPort(),
            "/v1/traces",
            "application/x-protobuf",
            Buffer.buffer(new byte[1024]));
    assertThat(r.statusCode()).isEqualTo(408);
    TestEdge.sleepUntil(() -> uncheckedInflight() == 0, 10);
  }

  private static double uncheckedInflight() {
    try {
      return inflightBytes();
    } catch (Exception e) {
      return -1;
    }
  }
}
