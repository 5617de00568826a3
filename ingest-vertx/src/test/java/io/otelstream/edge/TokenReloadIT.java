package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens from a file (as a mounted Kubernetes Secret), rotated without a restart: the new token
 * works and the old one is refused within the reload interval; a broken file keeps the tokens in
 * force and is counted.
 */
class TokenReloadIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static int post(TestEdge edge, String token) throws Exception {
    return Otlp.post(
            edge.httpUrl("/v1/traces"),
            "application/x-protobuf",
            Otlp.traces(Otlp.randomTraceId()).toByteArray(),
            "Authorization",
            "Bearer " + token)
        .statusCode();
  }

  private static String metrics(TestEdge edge) throws Exception {
    return Otlp.HTTP
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + edge.server.adminPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aRotatedTokenTakesEffectWithoutARestart() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# tenant token\nacme old-secret\n");
    try (TestEdge edge =
        TestEdge.start(
            kafka, "auth: {tokens_file: \"" + tokens + "\", reload_interval: 200ms}\n")) {
      assertThat(post(edge, "old-secret")).isEqualTo(200);
      assertThat(post(edge, "new-secret")).isEqualTo(401);

      // Written aside and moved over, as a Secret volume swaps its files.
      Path next = dir.resolve("tokens.next");
      Files.writeString(next, "acme new-secret\n");
      Files.move(next, tokens, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> post(edge, "new-secret") == 200);
      assertThat(post(edge, "old-secret")).isEqualTo(401);

      Files.writeString(tokens, "acme\n"); // broken: one field
      Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  metrics(edge)
                      .contains("otelstream_edge_token_reloads_total{outcome=\"failed\"} 1.0"));
      assertThat(post(edge, "new-secret")).as("the tokens in force stay").isEqualTo(200);
    }
  }
}
