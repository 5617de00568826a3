package io.otelstream.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.schemas.metrics.MetricNames;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tokens file again when its content changes (polled: a Kubernetes Secret volume swaps a
 * symlink, which file watchers miss), off the event loops. A file that cannot be read or parsed
 * keeps the tokens in force; {@code otelstream_edge_token_reloads_total{outcome}} counts both.
 */
final class TokensReloader {
  private static final Logger LOG = LoggerFactory.getLogger(TokensReloader.class);
  private final Path file;
  private final Authenticator auth;
  private final Counter loaded;
  private final Counter failed;
  private byte[] last;

  TokensReloader(Path file, Authenticator auth, MeterRegistry registry) {
    this.file = file;
    this.auth = auth;
    this.loaded = counter(registry, "loaded");
    this.failed = counter(registry, "failed");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder(MetricNames.EDGE_TOKEN_RELOADS.name())
        .description("Reads of the tokens file that changed the tokens, or failed, by outcome")
        .tags("outcome", outcome)
        .register(registry);
  }

  void start(Vertx vertx, Duration interval) {
    reload(); // validated at startup; this installs the file's tokens
    vertx.setPeriodic(
        interval.toMillis(),
        id ->
            vertx.executeBlocking(
                () -> {
                  reload();
                  return null;
                },
                false));
  }

  synchronized void reload() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      failed.increment();
      LOG.error("cannot read tokens_file {}; the tokens in force stay: {}", file, e.toString());
      return;
    }
    if (last != null && java.util.Arrays.equals(content, last)) {
      return;
    }
    try {
      List<EdgeConfig.Token> tokens =
          TokensFile.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), file);
      auth.replaceFileTokens(tokens);
      last = content;
      loaded.increment();
      LOG.info("tokens_file {}: {} tokens in force", file, tokens.size());
    } catch (IllegalArgumentException e) {
      failed.increment();
      LOG.error("{}; the tokens in force stay", e.getMessage());
      last = content; // reported once per content
    }
  }
}
