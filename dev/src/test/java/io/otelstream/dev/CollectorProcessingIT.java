package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.sinks.TestReceivers;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.streams.it.Otlp;
import io.otelstream.streams.it.StreamsKit;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same processor configuration in otelstream and in a real Collector (the Jaeger v2 binary,
 * which carries the Collector's attributes and filter processors and its Kafka receiver and
 * exporter), both reading the same raw topics on one broker: every span, data point and log record
 * either kept by both with the same attributes (types included) or removed by both. The
 * configuration exercises every action and both match types.
 */
class CollectorProcessingIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  static final String PROCESSORS =
      """
      processors:
        attributes:
          actions:
            - {key: request_id, action: delete}
            - {key: trace_id, action: delete}
            - {key: user_id, action: hash}
        attributes/spans:
          include:
            match_type: strict
            span_kinds: [SPAN_KIND_SERVER]
            attributes: [{key: http.response.status_code, value: 500}]
          actions:
            - {key: env, value: prod, action: insert}
            - {key: http.route, value: redacted, action: update}
            - {key: route_copy, from_attribute: http.route, action: upsert}
            - {key: url.full, pattern: '^(?P<url_scheme>[a-z]+)://(?P<host_name>[^/]+)', action: extract}
            - {key: retries, action: convert, converted_type: int}
            - {key: ratio, action: convert, converted_type: string}
            - {key: weight, action: convert, converted_type: double}
            - {pattern: ^secret_, action: delete}
            - {pattern: ^pii_, action: hash}
        attributes/regexp:
          include:
            match_type: regexp
            span_names: ["^GET "]
            services: ["^sh"]
            libraries: [{name: "^io[.]otelstream"}]
          exclude:
            match_type: regexp
            attributes: [{key: http.route, value: health}]
          actions: [{key: matched, value: true, action: insert}]
        filter/spans:
          spans:
            exclude: {match_type: strict, span_names: [healthcheck]}
        filter/metrics:
          metrics:
            exclude:
              match_type: regexp
              metric_names: [".*_bucket"]
        filter/metrics2:
          metrics:
            exclude: {match_type: strict, metric_names: [process.cpu.time]}
        attributes/logs:
          include:
            match_type: regexp
            log_bodies: ["order"]
            log_severity_texts: ["^WARN"]
          actions:
            - {key: order_id, action: hash}
            - {key: amount, action: convert, converted_type: double}
            - {key: flag, action: hash}
            - {key: count, action: hash}
            - {key: level, value: 3, action: upsert}
        filter/logs:
          logs:
            exclude:
              match_type: regexp
              bodies: ["health check.*", "GET /healthz.*"]
        filter/severity:
          logs:
            include:
              match_type: strict
              severity_number: {min: WARN, match_undefined: true}
      """;

  static final String TRACES = "attributes, attributes/spans, attributes/regexp, filter/spans";
  static final String METRICS = "attributes, filter/metrics, filter/metrics2";
  static final String LOGS = "attributes, attributes/logs, filter/logs, filter/severity";

  /** The resource and redaction processors, which the Jaeger binary does not carry. */
  static final String MORE_PROCESSORS =
      """
        resource:
          attributes:
            - {key: deployment.environment, value: prod, action: upsert}
            - {key: host.name, action: delete}
            - {key: service.instance.id, action: hash}
        redaction:
          allow_all_keys: true
          blocked_values: ["4[0-9]{12}(?:[0-9]{3})?"]
          blocked_key_patterns: ["^password"]
          summary: debug
      """;

  /** The Jaeger v2 binary: the Collector's attributes and filter processors at v0.140.1. */
  @Test
  void attributesAndFilterAsJaegersCollectorComponents() throws Exception {
    sideBySide("jaeger", "topic", "cj.", PROCESSORS, TRACES, METRICS, LOGS);
  }

  /** A Collector built at v0.160.0: every processor otelstream runs, resource and redaction too. */
  @Test
  void everyProcessorAsCollectorV0160() throws Exception {
    sideBySide(
        "otelcol-otelstream",
        "topics",
        "cc.",
        PROCESSORS + MORE_PROCESSORS,
        TRACES + ", resource, redaction",
        METRICS + ", resource, redaction",
        LOGS + ", resource, redaction");
  }

  private void sideBySide(
      String binary,
      String receiverTopicKey,
      String prefix,
      String processors,
      String traces,
      String metrics,
      String logs)
      throws Exception {
    String yaml =
        StreamsKit.yaml(
                kafka,
                "side-" + binary,
                dir.resolve("state-" + binary),
                0,
                "{prefix: " + prefix + ", replication_factor: 1, min_insync_replicas: 1}",
                "decision_wait: 1s\npolicies: [{name: all, type: always_sample}]\n")
            + "metrics:\n  aggregation: {interval: 500ms}\n"
            + processors
            + "pipelines:\n"
            + "  traces: {processors: ["
            + traces
            + "]}\n  metrics: {processors: ["
            + metrics
            + "]}\n  logs: {processors: ["
            + logs
            + "]}\n";
    StreamsAppConfig config = StreamsKit.config(yaml);
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    String out = prefix + "collector-";
    try (var admin = kafka.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(out + "traces", 1, (short) 1),
                  new NewTopic(out + "metrics", 1, (short) 1),
                  new NewTopic(out + "logs", 1, (short) 1)))
          .all()
          .get();
    }
    send(topics);

    int port = io.otelstream.kafka.FreePorts.next();
    Path collectorConfig = dir.resolve(binary + ".yaml");
    Files.writeString(
        collectorConfig,
        collectorYaml(topics, port, receiverTopicKey, out, processors, traces, metrics, logs));
    Process collector =
        TestReceivers.start(
            binary,
            dir.resolve(binary + ".log"),
            "http://127.0.0.1:" + port + "/metrics",
            "--config",
            collectorConfig.toString());
    try (StreamsApp app = StreamsApp.start(config)) {
      Awaitility.await("both outputs")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  Otlp.spansIn(kafka.readAll(topics.name(Topic.TRACES_SAMPLED))).size() >= 4
                      && Otlp.spansIn(kafka.readAll(out + "traces")).size() >= 4
                      && Otlp.logsIn(kafka.readAll(topics.name(Topic.LOGS_PROCESSED))).size() >= 2
                      && Otlp.logsIn(kafka.readAll(out + "logs")).size() >= 2
                      && names(kafka.readAll(topics.name(Topic.METRICS_PROCESSED))).size() >= 2
                      && names(kafka.readAll(out + "metrics")).size() >= 2);

      assertThat(
              byName(
                  Otlp.spansIn(kafka.readAll(topics.name(Topic.TRACES_SAMPLED))),
                  Span::getName,
                  Span::getAttributesList))
          .as("spans: otelstream vs " + binary)
          .isEqualTo(
              byName(
                  Otlp.spansIn(kafka.readAll(out + "traces")),
                  Span::getName,
                  Span::getAttributesList))
          .containsOnlyKeys(
              "GET /orders", "GET /health", "POST /pay", "GET /x", "sdk GET /items", "sdk query");
      assertThat(Otlp.resourcesIn(kafka.readAll(topics.name(Topic.TRACES_SAMPLED))))
          .as("span resources: otelstream vs " + binary)
          .isEqualTo(Otlp.resourcesIn(kafka.readAll(out + "traces")));

      assertThat(
              byName(
                  Otlp.logsIn(kafka.readAll(topics.name(Topic.LOGS_PROCESSED))),
                  l -> l.getBody().getStringValue(),
                  LogRecord::getAttributesList))
          .as("logs: otelstream vs " + binary)
          .isEqualTo(
              byName(
                  Otlp.logsIn(kafka.readAll(out + "logs")),
                  l -> l.getBody().getStringValue(),
                  LogRecord::getAttributesList))
          .containsOnlyKeys("order placed", "no severity", "sdk order placed");

      assertThat(firstPoints(kafka.readAll(topics.name(Topic.METRICS_PROCESSED))))
          .as("data points: otelstream vs " + binary)
          .isEqualTo(firstPoints(kafka.readAll(out + "metrics")))
          .containsOnlyKeys("http.server.active_requests", "http.server.request.duration");
    } finally {
      collector.destroy();
      collector.waitFor();
    }
  }

  private static String collectorYaml(
      TopicCatalog topics,
      int port,
      String topicKey,
      String out,
      String processors,
      String traces,
      String metrics,
      String logs) {
    String brokers = "[\"" + kafka.bootstrapServers() + "\"]";
    Function<String, String> in =
        t -> topicKey.equals("topics") ? "[\"" + t + "\"]" : "\"" + t + "\"";
    return "receivers:\n  kafka:\n    brokers: "
        + brokers
        + "\n    group_id: collector-side\n    initial_offset: earliest\n"
        + "    traces: {"
        + topicKey
        + ": "
        + in.apply(topics.name(Topic.TRACES))
        + ", encoding: otlp_proto}\n    metrics: {"
        + topicKey
        + ": "
        + in.apply(topics.name(Topic.METRICS))
        + ", encoding: otlp_proto}\n    logs: {"
        + topicKey
        + ": "
        + in.apply(topics.name(Topic.LOGS))
        + ", encoding: otlp_proto}\n"
        + processors
        + "exporters:\n  kafka:\n    brokers: "
        + brokers
        + "\n    traces: {topic: "
        + out
        + "traces, encoding: otlp_proto}\n"
        + "    metrics: {topic: "
        + out
        + "metrics, encoding: otlp_proto}\n"
        + "    logs: {topic: "
        + out
        + "logs, encoding: otlp_proto}\n"
        + "service:\n  pipelines:\n"
        + "    traces: {receivers: [kafka], processors: ["
        + traces
        + "], exporters: [kafka]}\n    metrics: {receivers: [kafka], processors: ["
        + metrics
        + "], exporters: [kafka]}\n    logs: {receivers: [kafka], processors: ["
        + logs
        + "], exporters: [kafka]}\n"
        + "  telemetry:\n    metrics:\n      level: normal\n"
        + "      readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: "
        + port
        + "}}}}]\n";
  }

  private static <T> Map<String, Map<String, AnyValue>> byName(
      List<T> items, Function<T, String> name, Function<T, List<KeyValue>> attributes) {
    Map<String, Map<String, AnyValue>> out = new TreeMap<>();
    for (T item : items) {
      out.put(name.apply(item), attributes(attributes.apply(item)));
    }
    return out;
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
    return kvs.stream()
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b, TreeMap::new));
  }

  private static java.util.Set<String> names(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records) {
    return Otlp.metricsIn(records).stream().map(Metric::getName).collect(Collectors.toSet());
  }

  /** Each metric's first data point's attributes (every test metric has one point). */
  private static Map<String, Map<String, AnyValue>> firstPoints(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Map<String, AnyValue>> out = new TreeMap<>();
    for (Metric m : Otlp.metricsIn(records)) {
      List<KeyValue> kvs =
          switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPoints(0).getAttributesList();
            case SUM -> m.getSum().getDataPoints(0).getAttributesList();
            case HISTOGRAM -> m.getHistogram().getDataPoints(0).getAttributesList();
            default -> throw new AssertionError("unexpected metric type " + m);
          };
      out.put(m.getName(), attributes(kvs));
    }
    return out;
  }

  private static void send(TopicCatalog topics) throws Exception {
    byte[] trace = new byte[16];
    trace[15] = 7;
    trace[0] = 9;
    List<Span> spans =
        List.of(
            Otlp.span(trace, 1, "GET /orders", Span.SpanKind.SPAN_KIND_SERVER)
                .addAllAttributes(
                    List.of(
                        Otlp.kv("http.response.status_code", 500L),
                        Otlp.kv("http.route", "/orders"),
                        Otlp.kv("url.full", "https://shop.example/orders?id=1"),
                        Otlp.kv("retries", "3"),
                        Otlp.kv("ratio", 0.5),
                        Otlp.kv("weight", 2L),
                        Otlp.kv("secret_token", "x"),
                        Otlp.kv("pii_email", "a@example.com"),
                        Otlp.kv("request_id", "r-1"),
                        Otlp.kv("user_id", "alice"),
                        Otlp.kv("payment", "card 4111111111111111 ok"),
                        Otlp.kv("password_hint", "pets")))
                .build(),
            Otlp.span(trace, 2, "GET /health", Span.SpanKind.SPAN_KIND_SERVER)
                .addAllAttributes(
                    List.of(
                        Otlp.kv("http.response.status_code", 200L),
                        Otlp.kv("http.route", "/health")))
                .build(),
            Otlp.span(trace, 3, "healthcheck", Span.SpanKind.SPAN_KIND_INTERNAL).build(),
            Otlp.span(trace, 4, "POST /pay", Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(Otlp.kv("http.response.status_code", 500L))
                .build(),
            Otlp.span(trace, 5, "GET /x", Span.SpanKind.SPAN_KIND_SERVER)
                .addAllAttributes(
                    List.of(
                        Otlp.kv("http.response.status_code", "500"),
                        Otlp.kv("user_id", 42L),
                        Otlp.kv("ratio", true)))
                .build());
    long now = System.currentTimeMillis() * 1_000_000L;
    List<KeyValue> pointAttributes =
        List.of(Otlp.kv("user_id", "bob"), Otlp.kv("request_id", "r-2"), Otlp.kv("code", 200L));
    List<Metric> metrics =
        List.of(
            Metric.newBuilder()
                .setName("http.server.active_requests")
                .setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(
                            NumberDataPoint.newBuilder()
                                .setTimeUnixNano(now)
                                .setAsInt(4)
                                .addAllAttributes(pointAttributes)))
                .build(),
            Metric.newBuilder()
                .setName("process.cpu.time")
                .setSum(
                    Sum.newBuilder()
                        .setIsMonotonic(true)
                        .setAggregationTemporality(
                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(
                            NumberDataPoint.newBuilder()
                                .setStartTimeUnixNano(now - 1_000_000_000L)
                                .setTimeUnixNano(now)
                                .setAsDouble(1.5)))
                .build(),
            Metric.newBuilder()
                .setName("http.server.request.duration")
                .setHistogram(
                    Histogram.newBuilder()
                        .setAggregationTemporality(
                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(
                            HistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(now - 1_000_000_000L)
                                .setTimeUnixNano(now)
                                .setCount(2)
                                .setSum(0.4)
                                .addExplicitBounds(0.25)
                                .addBucketCounts(1)
                                .addBucketCounts(1)
                                .addAllAttributes(pointAttributes)))
                .build());
    List<LogRecord> logs =
        List.of(
            log("health check ok", SeverityNumber.SEVERITY_NUMBER_WARN, "WARN"),
            log("order placed", SeverityNumber.SEVERITY_NUMBER_WARN, "WARN").toBuilder()
                .addAllAttributes(
                    List.of(
                        Otlp.kv("order_id", "o-1"),
                        Otlp.kv("amount", "12.5"),
                        Otlp.kv("flag", true),
                        Otlp.kv("count", 7L),
                        Otlp.kv("user_id", "carol"),
                        Otlp.kv("request_id", "r-3"),
                        Otlp.kv("note", "paid 4012888888881881")))
                .build(),
            log("debug line", SeverityNumber.SEVERITY_NUMBER_DEBUG, "DEBUG"),
            log("no severity", SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED, ""),
            log("order cancelled", SeverityNumber.SEVERITY_NUMBER_INFO, "INFO"),
            log("GET /healthz 200", SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR"));
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      // One span per record, keyed by the trace as the edge writes them.
      for (Span s : spans) {
        p.send(
            new ProducerRecord<>(
                topics.name(Topic.TRACES),
                io.otelstream.schemas.RecordKeys.traceKey(trace),
                Otlp.traces(resource(), Otlp.scope("io.otelstream.test", "1"), List.of(s))));
      }
      p.send(
          new ProducerRecord<>(
              topics.name(Topic.METRICS), "m".getBytes(), Otlp.metrics(resource(), metrics)));
      p.send(
          new ProducerRecord<>(
              topics.name(Topic.LOGS),
              "l".getBytes(),
              Otlp.logs(resource(), Otlp.scope("io.otelstream.test", "1"), logs)));
      // And what the real Java SDK exports, as the edge would write it.
      byte[] sdkTraces = sdkTraces();
      var sdkTrace =
          io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(sdkTraces)
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0)
              .getTraceId();
      p.send(
          new ProducerRecord<>(
              topics.name(Topic.TRACES),
              io.otelstream.schemas.RecordKeys.traceKey(sdkTrace),
              sdkTraces));
      p.send(new ProducerRecord<>(topics.name(Topic.LOGS), "sdk".getBytes(), sdkLogs()));
      p.flush();
    }
  }

  private static io.opentelemetry.sdk.resources.Resource sdkResource() {
    return io.opentelemetry.sdk.resources.Resource.create(
        io.opentelemetry.api.common.Attributes.builder()
            .put("service.name", "sdkapp")
            .put("service.instance.id", "sdk-1")
            .put("host.name", "h2")
            .build());
  }

  /** One trace from the real SDK: a server span and a client child, and a health check. */
  private static byte[] sdkTraces() throws Exception {
    try (io.otelstream.sinks.OtlpCapture capture = new io.otelstream.sinks.OtlpCapture()) {
      var provider =
          io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
              .setResource(sdkResource())
              .addSpanProcessor(
                  io.opentelemetry.sdk.trace.export.BatchSpanProcessor.builder(
                          io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter.builder()
                              .setEndpoint(capture.endpoint("traces"))
                              .build())
                      .build())
              .build();
      var tracer = provider.get("io.otelstream.sdk");
      var root =
          tracer
              .spanBuilder("sdk GET /items")
              .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
              .setAttribute("http.response.status_code", 500L)
              .setAttribute("http.route", "/items")
              .setAttribute("url.full", "http://api.example/items?page=2")
              .setAttribute("retries", "2")
              .setAttribute("user_id", "dave")
              .setAttribute("request_id", "r-9")
              .setAttribute("payment", "card 4012888888881881")
              .setAttribute("password_hint", "x")
              .startSpan();
      try (var scope = root.makeCurrent()) {
        tracer
            .spanBuilder("sdk query")
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
            .setAttribute("db.system", "postgresql")
            .setAttribute("secret_dsn", "postgres://u:p@db")
            .startSpan()
            .end();
        tracer.spanBuilder("healthcheck").startSpan().end();
      } finally {
        root.end();
      }
      provider.forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS);
      List<byte[]> bodies = capture.bodies("traces"); // before close(), which may export again
      provider.close();
      assertThat(bodies).hasSize(1);
      return bodies.get(0);
    }
  }

  /** Log records from the real SDK: one kept, one health check, one below WARN. */
  private static byte[] sdkLogs() throws Exception {
    try (io.otelstream.sinks.OtlpCapture capture = new io.otelstream.sinks.OtlpCapture()) {
      var provider =
          io.opentelemetry.sdk.logs.SdkLoggerProvider.builder()
              .setResource(sdkResource())
              .addLogRecordProcessor(
                  io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor.builder(
                          io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter
                              .builder()
                              .setEndpoint(capture.endpoint("logs"))
                              .build())
                      .build())
              .build();
      var logger = provider.get("io.otelstream.sdk");
      logger
          .logRecordBuilder()
          .setBody("sdk order placed")
          .setSeverity(io.opentelemetry.api.logs.Severity.WARN)
          .setSeverityText("WARN")
          .setAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("order_id"), "o-9")
          .setAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("amount"), "3.5")
          .setAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("user_id"), "dave")
          .setAttribute(
              io.opentelemetry.api.common.AttributeKey.stringKey("note"), "card 4111111111111111")
          .emit();
      logger
          .logRecordBuilder()
          .setBody("health check ok")
          .setSeverity(io.opentelemetry.api.logs.Severity.WARN)
          .emit();
      logger
          .logRecordBuilder()
          .setBody("sdk debug detail")
          .setSeverity(io.opentelemetry.api.logs.Severity.DEBUG)
          .emit();
      provider.forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS);
      List<byte[]> bodies = capture.bodies("logs"); // before close(), which may export again
      provider.close();
      assertThat(bodies).hasSize(1);
      return bodies.get(0);
    }
  }

  private static io.opentelemetry.proto.resource.v1.Resource resource() {
    return Otlp.service("shop").toBuilder()
        .addAttributes(Otlp.kv("host.name", "h1"))
        .addAttributes(Otlp.kv("service.instance.id", "i-1"))
        .addAttributes(Otlp.kv("deployment.environment", "staging"))
        .build();
  }

  private static LogRecord log(String body, SeverityNumber severity, String text) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .setSeverityNumber(severity)
        .setSeverityText(text)
        .build();
  }
}
