package io.otelstream.cli;

import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * Kafka Connect inside `otelstream dev`: one distributed-mode worker with the otelstream sinks on
 * its classpath, and a file sink per processed topic writing OTLP JSON lines.
 */
final class DevConnect implements AutoCloseable {
  private final Connect<?> connect;
  private final String rest;
  private final String deadLetterTopic;

  /** Backend URLs that replace a signal's file sink; null keeps the file. */
  record Backends(String tempo, String mimir, String loki) {}

  DevConnect(String bootstrap, int port, TopicCatalog topics, Path filesDir, Backends backends) {
    this.rest = "http://localhost:" + port;
    this.deadLetterTopic = topics.name(Topic.DEADLETTER);
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrap);
    worker.put("group.id", "otelstream-dev-connect");
    worker.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("config.storage.topic", "_otelstream-connect-configs");
    worker.put("offset.storage.topic", "_otelstream-connect-offsets");
    worker.put("status.storage.topic", "_otelstream-connect-status");
    worker.put("config.storage.replication.factor", "1");
    worker.put("offset.storage.replication.factor", "1");
    worker.put("status.storage.replication.factor", "1");
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("listeners", rest);
    connect = new ConnectDistributed().startConnect(worker);
    awaitRest();
    sink(
        "otelstream-traces",
        topics.name(Topic.TRACES_SAMPLED),
        "traces",
        filesDir,
        backends.tempo(),
        "io.otelstream.sinks.tempo.TempoSinkConnector");
    sink(
        "otelstream-metrics",
        topics.name(Topic.METRICS_PROCESSED),
        "metrics",
        filesDir,
        backends.mimir(),
        "io.otelstream.sinks.mimir.MimirSinkConnector");
    sink(
        "otelstream-logs",
        topics.name(Topic.LOGS_PROCESSED),
        "logs",
        filesDir,
        backends.loki(),
        "io.otelstream.sinks.loki.LokiSinkConnector");
  }

  String restUrl() {
    return rest;
  }

  private void sink(
      String name, String topic, String signal, Path dir, String backendUrl, String backendClass) {
    String target =
        backendUrl == null
            ? "\"connector.class\": \"io.otelstream.sinks.file.FileSinkConnector\", \"file.directory\": \""
                + dir.toString().replace("\\", "\\\\")
                + "\""
            : "\"connector.class\": \""
                + backendClass
                + "\", \"backend.url\": \""
                + backendUrl
                + "\""
                // A Tempo URL ending in /v1/traces is OTLP/HTTP; host:port alone is OTLP/gRPC.
                + (backendUrl.endsWith("/v1/traces") ? ", \"tempo.protocol\": \"http\"" : "");
    String config =
        String.format(
            "{%s, \"topics\": \"%s\","
                + " \"otlp.signal\": \"%s\", \"errors.tolerance\": \"all\","
                + " \"errors.deadletterqueue.topic.name\": \"%s\", \"errors.deadletterqueue.topic.replication.factor\": \"1\","
                + " \"errors.deadletterqueue.context.headers.enable\": \"true\"}",
            target, topic, signal, deadLetterTopic);
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(rest + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(config))
                .build());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("Connect refused " + name + ": " + r.body());
    }
  }

  private void awaitRest() {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(rest + "/connectors")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (Exception e) {
        // not listening yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Connect started", e);
      }
    }
    throw new IllegalStateException("Kafka Connect did not answer on " + rest + " within 120s");
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("Connect REST call failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
