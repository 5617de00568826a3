package io.otelstream.dev;

import io.otelstream.connect.metrics.PrometheusMetricsReporter;
import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.schemas.Signal;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka Connect inside `otelstream dev`: one distributed-mode worker with the otelstream sinks on
 * its classpath, and a file sink per processed topic writing OTLP JSON lines.
 */
final class DevConnect implements AutoCloseable {
  private final EmbeddedConnect connect;
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
    this.bootstrap = bootstrap;
    this.deadLetterTopic = topics.name(Topic.DEADLETTER);
    // Connect's own topics are replicated as the pipeline's topics are (1 on dev's one broker).
    this.replication = Short.toString(topics.spec(Topic.DEADLETTER).replicationFactor());
    Map<String, String> worker = new HashMap<>();
    worker.put("config.storage.topic", "_otelstream-connect-configs");
    worker.put("offset.storage.topic", "_otelstream-connect-offsets");
    worker.put("status.storage.topic", "_otelstream-connect-status");
    worker.put("config.storage.replication.factor", replication);
    worker.put("offset.storage.replication.factor", replication);
    worker.put("status.storage.replication.factor", replication);
    worker.put("offset.flush.interval.ms", "1000");
    // JMX stays; the sink tasks' consumers (whose lag the alerts watch) get the reporter too.
    String reporters =
        "org.apache.kafka.common.metrics.JmxReporter," + PrometheusMetricsReporter.class.getName();
    worker.put("metric.reporters", reporters);
    worker.put("consumer.metric.reporters", reporters);
    worker.put(PrometheusMetricsReporter.PORT, Integer.toString(metricsPort));
    // The sinks ship ServiceLoader manifests; scanning the classpath for plugins is slower.
    worker.put("plugin.discovery", "service_load");
    connect = EmbeddedConnect.start(bootstrap, "otelstream-dev-connect", port, worker, null);
    for (Signal signal : Signal.values()) {
      sink(signal, topics.name(Topic.processed(signal)), filesDir, sinks.forSignal(signal));
    }
  }

  String restUrl() {
    return connect.restUrl();
  }

  /** The sinks' Prometheus endpoint. */
  String metricsUrl() {
    return "http://localhost:" + PrometheusMetricsReporter.port() + "/metrics";
  }

  /** Signal name to where its sink writes, in start order. */
  Map<String, String> destinations() {
    return destinations;
  }

  private void sink(Signal signal, String topic, Path dir, DevSinks.Sink sink) {
    destinations.put(signal.key(), topic + " -> " + DevSinks.destination(signal, sink, dir));
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
    config.put("otlp.signal", signal.key());
    config.putIfAbsent("kafka.bootstrap.servers", bootstrap);
    config.putIfAbsent("errors.tolerance", "all");
    config.putIfAbsent("errors.deadletterqueue.topic.name", deadLetterTopic);
    config.putIfAbsent("errors.deadletterqueue.topic.replication.factor", replication);
    config.putIfAbsent("errors.deadletterqueue.context.headers.enable", "true");
    // replay deliver finds a signal's connector by this name.
    connect.putConnector("otelstream-" + signal.key(), config);
  }

  @Override
  public void close() {
    connect.close();
  }
}
