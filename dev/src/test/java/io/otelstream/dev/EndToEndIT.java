package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.FreePorts;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.sinks.LokiReceiver;
import io.otelstream.sinks.Receiver;
import io.otelstream.sinks.RemoteWriteReceivers;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry SDK → edge → streams (tail sampling) → Connect → Prometheus, and the Tempo and Loki
 * receivers: kept traces, metrics and logs arrive; dropped traces do not.
 */
class EndToEndIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  @Test
  void sdkToBackends() throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of());
    String topics = "{prefix: e2e., replication_factor: 1, min_insync_replicas: 1}";
    EdgeConfig edgeConfig =
        loader.parse(
            "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 1\n"
                + "kafka: {bootstrap.servers: \""
                + kafka.bootstrapServers()
                + "\"}\ntopics: "
                + topics
                + "\n",
            EdgeConfig.class,
            "edge");
    StreamsAppConfig streamsConfig =
        loader.parse(
            "application_id: e2e\nstate_dir: "
                + dir.resolve("streams")
                + "\n"
                + "admin: {port: 0}\nkafka: {bootstrap.servers: \""
                + kafka.bootstrapServers()
                + "\"}\ntopics: "
                + topics
                + "\n"
                + "tail_sampling:\n  decision_wait: 2s\n  policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]\n",
            StreamsAppConfig.class,
            "streams");
    TopicCatalog catalog = new TopicCatalog(edgeConfig.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    List<AutoCloseable> running = new ArrayList<>();
    try (Receiver tempo = Receiver.otlpTraces();
        LokiReceiver loki = new LokiReceiver();
        RemoteWriteReceivers prometheus = new RemoteWriteReceivers(dir)) {
      running.add(
          new DevConnect(
              kafka.bootstrapServers(),
              FreePorts.next(),
              0,
              catalog,
              dir.resolve("files"),
              ConfigLoader.withSystemEnv()
                  .parse(
                      """
                      traces: {connector: tempo, settings: {backend.url: "%s", tempo.protocol: http}}
                      metrics: {connector: mimir, settings: {backend.url: "%s/api/v1/write"}}
                      logs:
                        connector: loki
                        settings: {backend.url: "%s", batch.linger.ms: 200}
                      """
                          .formatted(tempo.url(), prometheus.prometheus, loki.url()),
                      DevSinks.class,
                      "end-to-end sinks")));
      running.add(0, StreamsApp.start(streamsConfig));
      EdgeServer edge = EdgeServer.start(edgeConfig);
      running.add(0, edge);
      String endpoint = "http://localhost:" + edge.grpcPort();
      Resource resource =
          Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "e2e-shop"));

      SdkTracerProvider traces =
          SdkTracerProvider.builder()
              .setResource(resource)
              .addSpanProcessor(
                  BatchSpanProcessor.builder(
                          OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build())
                      .build())
              .build();
      Tracer tracer = traces.get("e2e");
      Span failed = tracer.spanBuilder("checkout-failed").startSpan();
      failed.setStatus(StatusCode.ERROR);
      failed.end();
      Span fine = tracer.spanBuilder("checkout-fine").startSpan();
      fine.end();
      traces.forceFlush().join(30, TimeUnit.SECONDS);

      SdkMeterProvider meters =
          SdkMeterProvider.builder()
              .setResource(resource)
              .registerMetricReader(
                  PeriodicMetricReader.builder(
                          OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).build())
                      .build())
              .build();
      meters.get("e2e").counterBuilder("orders.placed").build().add(3);
      meters.forceFlush().join(30, TimeUnit.SECONDS);

      SdkLoggerProvider logs =
          SdkLoggerProvider.builder()
              .setResource(resource)
              .addLogRecordProcessor(
                  BatchLogRecordProcessor.builder(
                          OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint).build())
                      .build())
              .build();
      logs.get("e2e").logRecordBuilder().setBody("payment declined").emit();
      logs.forceFlush().join(30, TimeUnit.SECONDS);

      Awaitility.await()
          .atMost(90, TimeUnit.SECONDS)
          .until(() -> tempo.items.contains("checkout-failed"));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  loki.streams.stream()
                      .anyMatch(
                          s ->
                              s.stream().getEntriesList().stream()
                                  .anyMatch(e -> e.getLine().equals("payment declined"))));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  RemoteWriteReceivers.query(prometheus.prometheus, "orders_placed_total")
                      .contains("\"3\""));
      assertThat(tempo.items).doesNotContain("checkout-fine");
      traces.close();
      meters.close();
      logs.close();
    } finally {
      for (AutoCloseable c : running) {
        c.close();
      }
    }
  }
}
