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
              + " (.ci/run shows how)");

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
              + " is missing: build it with `GOBIN="
              + directory()
              + " "
              + BUILD.get(name)
              + "` (.ci/run does)");
    }
    return p;
  }
}
