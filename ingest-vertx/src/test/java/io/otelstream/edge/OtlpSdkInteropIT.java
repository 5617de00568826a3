package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real OpenTelemetry Java SDK exporters against the edge and a real broker. */
class OtlpSdkInteropIT {
  @org.junit.jupiter.api.extension.RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  private static TestEdge edge;

  @BeforeAll
  static void startEdge() {
    edge = TestEdge.start(kafka, "");
  }

  @AfterAll
  static void stopEdge() {
    edge.close();
  }

  private static Resource resource(String transport) {
    return Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), "interop-" + transport));
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void everySpanLandsKeyedByItsTraceIdInOnePartition(String transport) throws Exception {
    SpanExporter exporter =
        transport.equals("grpc")
            ? OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://localhost:" + edge.server.grpcPort())
                .build()
            : OtlpHttpSpanExporter.builder().setEndpoint(edge.httpUrl("/v1/traces")).build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource(transport))
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(64).build())
            .build();
    Tracer tracer = provider.get("interop");
    Set<String> exported = new HashSet<>();
    for (int t = 0; t < 100; t++) {
      Span root = tracer.spanBuilder("root-" + t).startSpan();
      try (Scope ignored = root.makeCurrent()) {
        for (int c = 0; c < 4; c++) {
          Span child = tracer.spanBuilder("child-" + c).startSpan();
          exported.add(
              child.getSpanContext().getTraceId() + "/" + child.getSpanContext().getSpanId());
          child.end();
        }
      }
      exported.add(root.getSpanContext().getTraceId() + "/" + root.getSpanContext().getSpanId());
      root.end();
    }
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.close();

    Set<String> found = new HashSet<>();
    Map<String, Integer> partitionOfTrace = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : edge.records(Topic.TRACES)) {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(r.value());
      String key = new String(r.key(), StandardCharsets.US_ASCII);
      assertThat(key).matches("[0-9a-f]{32}");
      request
          .getResourceSpansList()
          .forEach(
              rs ->
                  rs.getScopeSpansList()
                      .forEach(
                          ss ->
                              ss.getSpansList()
                                  .forEach(
                                      s -> {
                                        assertThat(RecordKeys.traceKeyString(s.getTraceId()))
                                            .isEqualTo(key);
                                        found.add(
                                            key
                                                + "/"
                                                + HexFormat.of()
                                                    .formatHex(s.getSpanId().toByteArray()));
                                      })));
      Integer previous = partitionOfTrace.putIfAbsent(key, r.partition());
      assertThat(previous == null || previous == r.partition())
          .as("trace %s in one partition", key)
          .isTrue();
    }
    assertThat(found).containsAll(exported);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void metricsLandOneRecordPerResource(String transport) throws Exception {
    MetricExporter exporter =
        transport.equals("grpc")
            ? OtlpGrpcMetricExporter.builder()
                .setEndpoint("http://localhost:" + edge.server.grpcPort())
                .build()
            : OtlpHttpMetricExporter.builder().setEndpoint(edge.httpUrl("/v1/metrics")).build();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(resource(transport))
            .registerMetricReader(PeriodicMetricReader.builder(exporter).build())
            .build();
    String name = "interop.requests." + transport;
    provider
        .get("interop")
        .counterBuilder(name)
        .build()
        .add(7, Attributes.of(AttributeKey.stringKey("route"), "/a"));
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.close();

    List<ExportMetricsServiceRequest> matching =
        edge.records(Topic.METRICS).stream()
            .map(
                r -> {
                  assertThat(r.key()).hasSize(16);
                  return parseMetrics(r.value());
                })
            .filter(
                m ->
                    m.getResourceMetricsCount() == 1
                        && m.getResourceMetrics(0).getScopeMetricsList().stream()
                            .anyMatch(
                                sm ->
                                    sm.getMetricsList().stream()
                                        .anyMatch(x -> x.getName().equals(name))))
            .toList();
    assertThat(matching).isNotEmpty();
    assertThat(
            matching.get(0).getResourceMetrics(0).getScopeMetricsList().stream()
                .flatMap(sm -> sm.getMetricsList().stream())
                .filter(x -> x.getName().equals(name))
                .findFirst()
                .orElseThrow()
                .getSum()
                .getDataPoints(0)
                .getAsInt())
        .isEqualTo(7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void logsLandOneRecordPerResource(String transport) throws Exception {
    LogRecordExporter exporter =
        transport.equals("grpc")
            ? OtlpGrpcLogRecordExporter.builder()
                .setEndpoint("http://localhost:" + edge.server.grpcPort())
                .build()
            : OtlpHttpLogRecordExporter.builder().setEndpoint(edge.httpUrl("/v1/logs")).build();
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(resource(transport))
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
            .build();
    for (int i = 0; i < 25; i++) {
      provider.get("interop").logRecordBuilder().setBody(transport + " log " + i).emit();
    }
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.close();

    Set<String> bodies = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : edge.records(Topic.LOGS)) {
      ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(r.value());
      assertThat(request.getResourceLogsCount()).isEqualTo(1);
      assertThat(r.key())
          .isEqualTo(RecordKeys.resourceKey(request.getResourceLogs(0).getResource()));
      request
          .getResourceLogs(0)
          .getScopeLogsList()
          .forEach(
              sl -> sl.getLogRecordsList().forEach(l -> bodies.add(l.getBody().getStringValue())));
    }
    for (int i = 0; i < 25; i++) {
      assertThat(bodies).contains(transport + " log " + i);
    }
  }

  private static ExportMetricsServiceRequest parseMetrics(byte[] value) {
    try {
      return ExportMetricsServiceRequest.parseFrom(value);
    } catch (Exception e) {
      throw new AssertionError("value is not an ExportMetricsServiceRequest", e);
    }
  }
}
