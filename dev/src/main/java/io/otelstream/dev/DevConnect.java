package io.otelstream.dev;

import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
  private final String replication;
  private final String bootstrap;
  private final Map<String, String> destinations = new LinkedHashMap<>();

  /**
   * @param port the REST port
   * @param metricsPort where the sinks' metrics are served in Prometheus format (0: any free port)
   */
  DevConnect(
      String bootstrap,
      int port,
      int metricsPort,
      TopicCatalog topics,
      Path filesDir,
      DevSinks sinks) {
    this.rest = "http://localhost:" + port;
    this.bootstrap = bootstrap;
    this.deadLetterTopic = topics.name(Topic.DEADLETTER);
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrap);
    worker.put("group.id", "otelstream-dev-connect");
    worker.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("config.storage.topic", "_otelstream-connect-configs");
    worker.put("offset.storage.topic", "_otelstream-connect-offsets");
    worker.put("status.storage.topic", "_otelstream-connect-status");
    // Connect's own topics are replicated as the pipeline's topics are (1 on dev's one broker).
    this.replication = Short.toString(topics.spec(Topic.DEADLETTER).replicationFactor());
    worker.put("config.storage.replication.factor", replication);
    worker.put("offset.storage.replication.factor", replication);
    worker.put("status.storage.replication.factor", replication);
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("listeners", rest);
    // JMX stays; the sink tasks' consumers (whose lag the alerts watch) get the reporter too.
    String reporters =
        "org.apache.kafka.common.metrics.JmxReporter,"
            + io.otelstream.connect.metrics.PrometheusMetricsReporter.class.getName();
    worker.put("metric.reporters", reporters);
    worker.put("consumer.metric.reporters", reporters);
    worker.put(
        io.otelstream.connect.metrics.PrometheusMetricsReporter.PORT,
        Integer.toString(metricsPort));
    // The sinks ship ServiceLoader manifests; scanning the classpath for plugins is slower.
    worker.put("plugin.discovery", "service_load");
    connect = new ConnectDistributed().startConnect(worker);
    awaitRest();
    sink(
        "otelstream-traces", topics.name(Topic.TRACES_SAMPLED), "traces", filesDir, sinks.traces());
    sink(
        "otelstream-metrics",
        topics.name(Topic.METRICS_PROCESSED),
        "metrics",
        filesDir,
        sinks.metrics());
    sink("otelstream-logs", topics.name(Topic.LOGS_PROCESSED), "logs", filesDir, sinks.logs());
  }

  String restUrl() {
    return rest;
  }

  /** The sinks' Prometheus endpoint. */
  String metricsUrl() {
    return "http://localhost:"
        + io.otelstream.connect.metrics.PrometheusMetricsReporter.port()
        + "/metrics";
  }

  /** Signal name to where its sink writes, in start order. */
  Map<String, String> destinations() {
    return destinations;
  }

  private void sink(String name, String topic, String signal, Path dir, DevSinks.Sink sink) {
    destinations.put(signal, topic + " -> " + DevSinks.destination(signal, sink, dir));
    Map<String, String> config = new LinkedHashMap<>();
    if (sink == null) {
      config.put("connector.class", "io.otelstream.sinks.file.FileSinkConnector");
      config.put("file.directory", dir.toString());
    } else {
      config.put("connector.class", sink.connectorClass());
      if (sink.connector().equals("file")) {
        config.put("file.directory", dir.toString());
      }
      config.putAll(sink.settings());
    }
    config.put("topics", topic);
    config.put("otlp.signal", signal);
    config.putIfAbsent("kafka.bootstrap.servers", bootstrap);
    config.putIfAbsent("errors.tolerance", "all");
    config.putIfAbsent("errors.deadletterqueue.topic.name", deadLetterTopic);
    config.putIfAbsent("errors.deadletterqueue.topic.replication.factor", replication);
    config.putIfAbsent("errors.deadletterqueue.context.headers.enable", "true");
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(rest + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config)))
                .build());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("Connect refused " + name + ": " + r.body());
    }
  }

  private static String json(Map<String, String> config) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(config);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
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
