package io.otelstream.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark's sink end decodes what the sinks and the Collector's otlphttp exporter send. */
class CountingReceiverTest {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .proxy(HttpClient.Builder.NO_PROXY)
          .build();

  private HttpResponse<String> post(
      CountingReceiver r, String path, byte[] body, String type, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  private static byte[] body(String... args) {
    LoadOptions o = new LoadOptions();
    new CommandLine(o).parseArgs(args);
    return ExportTemplates.of(o.validated()).next(new SplittableRandom(4)).bytes();
  }

  @Test
  void countsAndTimesEveryItemOfEverySignal() throws Exception {
    try (CountingReceiver r = new CountingReceiver(0)) {
      String proto = "application/x-protobuf";
      assertEquals(
          200,
          post(r, "/v1/traces", gzip(body("--traces-per-request", "3")), proto, "gzip")
              .statusCode());
      assertEquals(
          200, post(r, "/otlp/v1/metrics", body("--signal", "metrics"), proto, null).statusCode());
      assertEquals(
          200,
          post(r, "/otlp/v1/logs", gzip(body("--signal", "logs")), proto, "gzip").statusCode());
      String report = r.report();
      assertTrue(report.contains("traces items=30 requests=1 timed=30 "), report);
      assertTrue(report.contains("metrics items=100 requests=1 timed=100 "), report);
      assertTrue(report.contains("logs items=100 requests=1 timed=100 "), report);
      assertTrue(report.contains("refused requests=0"), report);
    }
  }

  @Test
  void refusesWhatItCannotCountAndSaysSo() throws Exception {
    try (CountingReceiver r = new CountingReceiver(0)) {
      HttpResponse<String> json = post(r, "/v1/logs", "{}".getBytes(), "application/json", null);
      assertEquals(415, json.statusCode());
      assertTrue(json.body().contains("protobuf only"), json.body());
      assertEquals(
          404, post(r, "/v1/profiles", new byte[0], "application/x-protobuf", null).statusCode());
      HttpResponse<String> broken =
          post(r, "/v1/traces", new byte[] {0x0a, 0x7f}, "application/x-protobuf", null);
      assertEquals(400, broken.statusCode());
      assertTrue(r.report().contains("refused requests=3"), r.report());
    }
  }
}
