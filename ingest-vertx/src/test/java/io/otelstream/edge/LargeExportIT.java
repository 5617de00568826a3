package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.config.ConfigLoader;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One large export (tens of MiB of gzipped OTLP/JSON) must not stall the small exports that share
 * its event loop: the edge runs with a single event loop, and small requests sent while the large
 * one is being inflated and converted must be answered before it is. Every span of the large export
 * lacks a trace ID, so it is all decoding and no Kafka write: the only thing that could hold the
 * small ones back is the event loop.
 */
class LargeExportIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void smallExportsAreAnsweredWhileALargeOneIsDecoded() throws Exception {
    String yaml =
        "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 1\n"
            + "kafka: {bootstrap.servers: \""
            + kafka.bootstrapServers()
            + "\"}\n"
            + "topics: {prefix: large., replication_factor: 1, min_insync_replicas: 1}\n";
    EdgeConfig config = new ConfigLoader(Map.of()).parse(yaml, EdgeConfig.class, "edge.yaml");
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, new TopicCatalog(config.topics())).apply(false);
    }
    byte[] large = gzip(invalidSpansJson(40 << 20));
    byte[] small = Otlp.traces(Otlp.randomTraceId()).toByteArray();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (EdgeServer edge = EdgeServer.start(config)) {
      URI url = URI.create("http://localhost:" + edge.httpPort() + "/v1/traces");
      // Warm up both paths so class loading is not what is measured.
      assertThat(send(client, url, "application/x-protobuf", null, small).statusCode())
          .isEqualTo(200);

      CompletableFuture<HttpResponse<String>> largeAnswer =
          client.sendAsync(
              request(url, "application/json", "gzip", large),
              HttpResponse.BodyHandlers.ofString());
      long largeStarted = System.nanoTime();
      int answeredMeanwhile = 0;
      long longestSmall = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!largeAnswer.isDone() && System.nanoTime() < deadline) {
        long started = System.nanoTime();
        HttpResponse<String> r = send(client, url, "application/x-protobuf", null, small);
        assertThat(r.statusCode()).isEqualTo(200);
        if (!largeAnswer.isDone()) {
          answeredMeanwhile++;
          longestSmall = Math.max(longestSmall, System.nanoTime() - started);
        }
      }
      HttpResponse<String> l = largeAnswer.get(2, TimeUnit.MINUTES);
      long largeTook = System.nanoTime() - largeStarted;
      assertThat(l.statusCode()).as(l.body()).isBetween(200, 499);
      assertThat(l.body()).contains("trace ID");
      System.out.printf(
          "LargeExportIT: %d small exports answered while a %d MiB gzipped JSON export was decoded%n",
          answeredMeanwhile, (40 << 20) >> 20);
      assertThat(answeredMeanwhile)
          .as("small exports answered while the large one was being decoded")
          .isGreaterThanOrEqualTo(10);
      // A ratio, not a time: with decoding on the event loop one small export waits about as long
      // as the large one takes.
      assertThat(longestSmall * 4)
          .as(
              "the longest small export (%d ms) against the large one (%d ms)",
              longestSmall / 1_000_000, largeTook / 1_000_000)
          .isLessThan(largeTook);
    }
  }

  /** About {@code bytes} of OTLP/JSON whose spans all lack a trace ID (rejected after decoding). */
  private static byte[] invalidSpansJson(int bytes) {
    String value = "x".repeat(200);
    StringBuilder attrs = new StringBuilder();
    for (int a = 0; a < 10; a++) {
      attrs
          .append(a == 0 ? "" : ",")
          .append("{\"key\":\"k")
          .append(a)
          .append("\",\"value\":{\"stringValue\":\"")
          .append(value)
          .append("\"}}");
    }
    String span =
        "{\"traceId\":\"\",\"spanId\":\"0102030405060708\",\"name\":\"big\",\"attributes\":["
            + attrs
            + "]}";
    StringBuilder json = new StringBuilder(bytes + span.length() + 100);
    json.append("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[");
    for (int i = 0; json.length() < bytes; i++) {
      json.append(i == 0 ? "" : ",").append(span);
    }
    return json.append("]}]}]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  private static HttpRequest request(URI url, String type, String encoding, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return b.build();
  }

  private static HttpResponse<String> send(
      HttpClient client, URI url, String type, String encoding, byte[] body) throws Exception {
    return client.send(request(url, type, encoding, body), HttpResponse.BodyHandlers.ofString());
  }
}
