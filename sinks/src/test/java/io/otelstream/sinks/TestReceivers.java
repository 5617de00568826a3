package io.otelstream.sinks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real receivers built from the Go module proxy (never committed): .ci/run builds them once into
 * {@code $OTELSTREAM_TEST_RECEIVERS} (default {@code ~/.cache/otelstream/receivers}).
 */
public final class TestReceivers {
  /** How each receiver is built, for the error that names a missing one. */
  private static final java.util.Map<String, String> BUILD =
      java.util.Map.of(
          "victoria-logs",
          "go install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v1.52.1",
          "victoria-metrics",
          "go install github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@v1.151.0",
          "jaeger",
          "go install github.com/jaegertracing/jaeger/cmd/jaeger@v1.76.0 from a wrapper module"
              + " (.ci/run shows how)",
          "otelcol-otelstream",
          "sh perf/collector/build.sh (the Collector builder, components at v0.160.0)");

  private TestReceivers() {}

  public static Path directory() {
    String env = System.getenv("OTELSTREAM_TEST_RECEIVERS");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "otelstream", "receivers");
  }

  /** The receiver's executable; an error that says how to build it when it is missing. */
  public static Path binary(String name) {
    Path p = directory().resolve(name);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(
          p
              + " is missing: build it with `"
              + (name.startsWith("otelcol-") ? "" : "GOBIN=" + directory() + " ")
              + BUILD.get(name)
              + "` (.ci/run does)");
    }
    return p;
  }

  /**
   * Starts receiver {@code name} with {@code args}, its output appended to {@code log}, and waits
   * up to a minute until {@code healthUrl} answers 200.
   */
  public static Process start(String name, Path log, String healthUrl, String... args)
      throws java.io.IOException {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(binary(name).toString());
    command.addAll(java.util.List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    org.awaitility.Awaitility.await(name + " ready")
        .atMost(java.time.Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError(name + " exited: " + Files.readString(log));
              }
              return http.send(
                          java.net.http.HttpRequest.newBuilder(java.net.URI.create(healthUrl))
                              .timeout(java.time.Duration.ofSeconds(5))
                              .build(),
                          java.net.http.HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
    return p;
  }
}
