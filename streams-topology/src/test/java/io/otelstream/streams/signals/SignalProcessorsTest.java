package io.otelstream.streams.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.OtelstreamTopology;
import io.otelstream.streams.app.TestTopologies;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Metric label actions and log filters on TopologyTestDriver. */
class SignalProcessorsTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private final TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());

  private void start(String metricsYaml, String logsYaml) {
    TailSamplingConfig ts =
        loader.parse("policies: [{name: all, type: always_sample}]", TailSamplingConfig.class, "t");
    var parts =
        TestTopologies.parts(
            ts,
            loader.parse(metricsYaml, MetricsConfig.class, "metrics"),
            loader.parse(logsYaml, LogsConfig.class, "logs"),
            registry);
    Properties p = TestTopologies.driverProperties("signals");
    driver = new TopologyTestDriver(OtelstreamTopology.build(topics, parts), p, Instant.EPOCH);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static Metric sum(String name, KeyValue... attrs) {
    return Metric.newBuilder()
        .setName(name)
        .setSum(
            Sum.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder().setAsInt(1).addAllAttributes(List.of(attrs))))
        .build();
  }

  private List<ExportMetricsServiceRequest> runMetrics(Metric... metrics) {
    byte[] value =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(kv("service.name", "api"))
                            .addAttributes(kv("host.id", "h-1")))
                    .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
            .build()
            .toByteArray();
    driver
        .createInputTopic(
            topics.name(Topic.METRICS), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput("key".getBytes(), value);
    // The aggregation stage writes each series once per interval (default 15 s).
    driver.advanceWallClockTime(java.time.Duration.ofSeconds(15));
    return driver
        .createOutputTopic(
            topics.name(Topic.METRICS_PROCESSED),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())
        .readValuesToList()
        .stream()
        .map(
            v -> {
              try {
                return ExportMetricsServiceRequest.parseFrom(v);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  @Test
  void dropsAndHashesHighCardinalityLabelsAsTheExampleConfigDoes() throws Exception {
    start(
        """
        attributes:
          - {key: request_id, action: delete}
          - {key: trace_id, action: delete}
          - {key: user_id, action: hash}
        """,
        "");
    var out =
        runMetrics(
            sum(
                "http.requests",
                kv("request_id", "r-1"),
                kv("trace_id", "t"),
                kv("user_id", "alice"),
                kv("route", "/a")));
    var attrs =
        out.get(0)
            .getResourceMetrics(0)
            .getScopeMetrics(0)
            .getMetrics(0)
            .getSum()
            .getDataPoints(0)
            .getAttributesList();
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest("alice".getBytes(StandardCharsets.UTF_8)));
    assertThat(attrs.toString())
        .isEqualTo(List.of(kv("user_id", hash), kv("route", "/a")).toString());
  }

  @Test
  void nameFiltersStrictAndRegexpAndKeepOnly() {
    start(
        """
        include: {match_type: regexp, metric_names: ['^http\\.']}
        exclude: {match_type: strict, metric_names: [http.debug]}
        keep_only_attributes: [route]
        resource_attributes: [{key: host.id, action: delete}]
        """,
        "");
    var out =
        runMetrics(
            sum("http.requests", kv("route", "/a"), kv("pod", "p-1")),
            sum("http.debug"),
            sum("jvm.gc"));
    var rm = out.get(0).getResourceMetrics(0);
    assertThat(rm.getScopeMetrics(0).getMetricsList())
        .extracting(Metric::getName)
        .containsExactly("http.requests");
    assertThat(rm.getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0).getAttributesList())
        .containsExactly(kv("route", "/a"));
    assertThat(rm.getResource().getAttributesList()).containsExactly(kv("service.name", "api"));
    assertThat(
            registry
                .get("otelstream.streams.items")
                .tag("signal", "metrics")
                .tag("outcome", "dropped")
                .counter()
                .count())
        .isEqualTo(2);
  }

  private static LogRecord log(SeverityNumber severity, String body, KeyValue... attrs) {
    return LogRecord.newBuilder()
        .setSeverityNumber(severity)
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .addAllAttributes(List.of(attrs))
        .build();
  }

  @Test
  void logsFilteredBySeverityBodyAndAttributeWithAttributesDeleted() throws Exception {
    start(
        "",
        """
        min_severity: WARN
        drop_body_regex: ['health ?check']
        drop_attributes: [{key: http.route, values: [/metrics]}]
        delete_attributes: [password]
        """);
    byte[] value =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(log(SeverityNumber.SEVERITY_NUMBER_INFO, "started"))
                            .addLogRecords(
                                log(SeverityNumber.SEVERITY_NUMBER_ERROR, "healthcheck failed"))
                            .addLogRecords(
                                log(
                                    SeverityNumber.SEVERITY_NUMBER_WARN,
                                    "scrape",
                                    kv("http.route", "/metrics")))
                            .addLogRecords(
                                log(
                                    SeverityNumber.SEVERITY_NUMBER_ERROR,
                                    "payment failed",
                                    kv("password", "x"),
                                    kv("order", "o-1")))
                            .addLogRecords(
                                log(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED, "no severity"))))
            .build()
            .toByteArray();
    driver
        .createInputTopic(
            topics.name(Topic.LOGS), new ByteArraySerializer(), new ByteArraySerializer())
        .pipeInput("k".getBytes(), value);
    var out =
        driver
            .createOutputTopic(
                topics.name(Topic.LOGS_PROCESSED),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())
            .readValuesToList();
    var records =
        ExportLogsServiceRequest.parseFrom(out.get(0))
            .getResourceLogs(0)
            .getScopeLogs(0)
            .getLogRecordsList();
    assertThat(records)
        .extracting(r -> r.getBody().getStringValue())
        .containsExactly("payment failed", "no severity");
    assertThat(records.get(0).getAttributesList()).containsExactly(kv("order", "o-1"));
    assertThat(
            registry
                .get("otelstream.streams.items")
                .tag("signal", "logs")
                .tag("outcome", "dropped")
                .counter()
                .count())
        .isEqualTo(3);
  }

  @Test
  void invalidSettingsNameTheKey() {
    assertThatThrownBy(
            () -> loader.parse("attributes: [{key: a, action: redact}]", MetricsConfig.class, "m"))
        .hasMessageContaining("'attributes[0]'")
        .hasMessageContaining("action must be delete or hash");
    assertThatThrownBy(() -> loader.parse("min_severity: LOUD", LogsConfig.class, "l"))
        .hasMessageContaining("min_severity must be");
    assertThatThrownBy(
            () ->
                loader.parse(
                    "include: {match_type: regexp, metric_names: ['(']}", MetricsConfig.class, "m"))
        .hasMessageContaining("'include'")
        .hasMessageContaining("invalid regular expression");
  }
}
