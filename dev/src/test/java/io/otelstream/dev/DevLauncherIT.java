package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.otelstream.kafka.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs `./otelstream dev` exactly as a user does (the real launcher script, a child process) on
 * free ports, sends a span with the OpenTelemetry SDK, then signals it: it must stop within 15 s
 * with status 0, print no ERROR line and no stack trace, and stop Kafka only after Connect.
 */
class DevLauncherIT {
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(.*\\)$");

  @TempDir Path dir;
  private Process dev;

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT"})
  void shouldStartServeAndStopCleanlyOnSignal(String signal) throws Exception {
    int grpc = FreePorts.next();
    int http = FreePorts.next();
    int edgeAdmin = FreePorts.next();
    int streamsAdmin = FreePorts.next();
    int kafkaPort = FreePorts.next();
    Path edgeConfig = dir.resolve("edge.yaml");
    Files.writeString(
        edgeConfig,
        "grpc: {port: "
            + grpc
            + "}\nhttp: {port: "
            + http
            + "}\nadmin: {port: "
            + edgeAdmin
            + "}\n");
    Path output = dir.resolve("dev.out");
    Path root = Path.of("..").toAbsolutePath().normalize();
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("otelstream").toString(),
                "dev",
                "--data-dir",
                dir.resolve("data").toString(),
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--connect-port",
                Integer.toString(FreePorts.next()),
                "--connect-metrics-port",
                Integer.toString(FreePorts.next()),
                "--streams-admin-port",
                Integer.toString(streamsAdmin),
                "--edge-config",
                edgeConfig.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    // The build already made the jar; the test runs it, never rebuilds.
    pb.environment().put("OTELSTREAM_REBUILD", "0");
    pb.environment().put("OTELSTREAM_JAVA_OPTS", "-Xmx512m");
    dev = pb.start();

    Awaitility.await("dev ready")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(dev.isAlive()).as("dev exited early:\n%s", read(output)).isTrue();
              return read(output).contains("otelstream dev is ready")
                  && status("http://localhost:" + edgeAdmin + "/health/ready") == 200
                  && status("http://localhost:" + streamsAdmin + "/health/ready") == 200;
            });

    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://localhost:" + http + "/v1/traces")
            .build();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      Tracer tracer = provider.get("dev-launcher-it");
      Span span = tracer.spanBuilder("hello").startSpan();
      span.end();
      CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).as("the edge acknowledged the span").isTrue();
    }

    // docs/replay.md: dev mode's streams configuration is <data-dir>/streams.yaml, and a replay
    // preview runs against it as written there.
    Path written = dir.resolve("data").resolve("streams.yaml");
    assertThat(written).exists();
    ProcessBuilder rb =
        new ProcessBuilder(
                root.resolve("otelstream").toString(),
                "replay",
                "sample",
                "--config",
                written.toString(),
                "--from",
                "-1h",
                "--preview")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("replay.out").toFile());
    rb.environment().put("OTELSTREAM_REBUILD", "0");
    Process replay = rb.start();
    assertThat(replay.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(replay.exitValue()).as(read(dir.resolve("replay.out"))).isZero();

    long pid = dev.pid();
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    boolean exited = dev.waitFor(15, TimeUnit.SECONDS);
    String out = read(output);
    assertThat(exited).as("exited within 15 s after SIG%s:\n%s", signal, out).isTrue();
    assertThat(dev.exitValue()).as("exit status:\n%s", out).isZero();
    // Lines logged at ERROR level ("12:00:00.000 ERROR Logger - ..."), not lines that merely
    // mention the word (the effective configuration names the ERROR status code).
    java.util.regex.Pattern errorLevel = java.util.regex.Pattern.compile("^\\S+\\s+ERROR\\s");
    List<String> errors = out.lines().filter(l -> errorLevel.matcher(l).find()).toList();
    assertThat(errors).as("ERROR lines").isEmpty();
    assertThat(STACK_FRAME.matcher(out).find()).as("a stack trace in:\n%s", out).isFalse();
    assertThat(out).contains("SIG" + signal + " received, stopping", "otelstream dev stopped");
    int connectStopped = out.indexOf("stopped Connect");
    int kafkaStopped = out.indexOf("stopped Kafka");
    assertThat(connectStopped).as("Connect stopped").isPositive();
    assertThat(kafkaStopped).as("Kafka stopped after Connect").isGreaterThan(connectStopped);
    assertThat(out.indexOf("stopped edge")).isLessThan(out.indexOf("stopped streams"));
  }

  @AfterEach
  void kill() {
    if (dev != null && dev.isAlive()) {
      dev.destroyForcibly();
    }
  }

  private static String read(Path p) throws Exception {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  private static int status(String url) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
