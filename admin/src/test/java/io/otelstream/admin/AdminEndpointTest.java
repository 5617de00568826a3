package io.otelstream.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminEndpointTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void servesMetricsWholeOrByNameAndHealthWithItsCode() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("otelstream.a").register(registry).increment(3);
    Counter.builder("otelstream.b").register(registry).increment(4);
    AtomicBoolean ready = new AtomicBoolean(false);
    try (AdminEndpoint admin =
        AdminEndpoint.forComponent("test")
            .metrics(registry)
            .ready(
                () ->
                    Health.of(ready.get(), ready.get() ? "RUNNING" : "REBALANCING")
                        .with("threadFailures", 0)
                        .with("reason", "a \"quoted\" reason"))
            .json("/extra", () -> "{\"x\":1}")
            .listen("127.0.0.1", 0)) {
      String base = "http://127.0.0.1:" + admin.port();
      assertThat(get(base + "/metrics").body())
          .contains("otelstream_a_total 3.0")
          .contains("otelstream_b_total 4.0");
      String one = get(base + "/metrics?name[]=otelstream_a_total").body();
      assertThat(one).contains("otelstream_a_total 3.0").doesNotContain("otelstream_b");
      HttpResponse<String> notReady = get(base + "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body())
          .isEqualTo(
              "{\"status\":\"REBALANCING\",\"threadFailures\":0,"
                  + "\"reason\":\"a \\\"quoted\\\" reason\"}");
      ready.set(true);
      assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(base + "/health/live").body()).isEqualTo("{\"status\":\"live\"}");
      assertThat(get(base + "/extra").body()).isEqualTo("{\"x\":1}");
      assertThat(raw(admin.port(), "GET /metrics?name[]=%zz HTTP/1.1")).startsWith("HTTP/1.1 400");
      assertThat(get(base + "/health/live").statusCode()).as("still serving").isEqualTo(200);
      HttpResponse<String> unknown = get(base + "/nope");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("/extra /health/live /health/ready /metrics");
    }
  }

  /** A request line no URI class would build (HttpClient refuses bad %-escapes). */
  private static String raw(int port, String requestLine) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket
          .getOutputStream()
          .write(
              (requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
