package io.otelstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The folder the Dockerfile copies into the production image (target/lib, filled at package, before
 * this test runs) holds no broker, Scala, Connect runtime, Jetty, load generator or dev module. The
 * enforcer rule keeps them out of the dependency tree; this checks what actually ships.
 */
class ImageLibrariesIT {
  private static final List<String> FORBIDDEN =
      List.of(
          "kafka_2.13-",
          "kafka-metadata-",
          "kafka-server-",
          "kafka-raft-",
          "scala-",
          "connect-runtime-",
          "jetty-",
          "otelstream-embedded-kafka-",
          "otelstream-perf-",
          "otelstream-dev-",
          "otelstream-sinks-");

  @Test
  void theImageLibFolderCarriesNoBrokerConnectOrLoadGenerator() throws IOException {
    Path lib = Path.of("target", "lib");
    assertThat(lib).isDirectory();
    List<String> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars)
        .as("what the production image runs")
        .contains("otelstream-ingest-vertx-0.1.0-SNAPSHOT.jar")
        .anyMatch(j -> j.startsWith("kafka-streams-"))
        .anyMatch(j -> j.startsWith("kafka-clients-"));
    for (String forbidden : FORBIDDEN) {
      assertThat(jars)
          .as("jars starting with %s", forbidden)
          .noneMatch(j -> j.startsWith(forbidden));
    }
  }
}
