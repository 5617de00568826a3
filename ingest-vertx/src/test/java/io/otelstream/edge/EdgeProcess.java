package io.otelstream.edge;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The edge in a JVM of its own (EdgeMain), for tests that kill it or bound its heap. */
final class EdgeProcess {
  private EdgeProcess() {}

  /** Starts the edge with {@code config}, its output appended to {@code log}. */
  static Process start(Path config, Path log, String... jvmOptions) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            EdgeMain.class.getName(),
            config.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Whether the edge behind {@code adminPort} answers /health/ready with 200. */
  static boolean ready(int adminPort) {
    try {
      return Otlp.HTTP
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + adminPort + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }
}
