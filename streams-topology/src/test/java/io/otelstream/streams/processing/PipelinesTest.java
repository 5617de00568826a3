package io.otelstream.streams.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.config.ConfigException;
import io.otelstream.config.ConfigLoader;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.app.StreamsAppConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every action and match type of the Collector processors, as configured in streams.yaml, on OTLP
 * requests; configurations the Collector refuses, or otelstream cannot run as it does, fail at
 * startup naming the key.
 */
class PipelinesTest {
  private static final String POLICIES =
      "tail_sampling: {policies: [{name: all, type: always_sample}]}\n";

  private static Pipelines pipelines(String yaml) {
    return new ConfigLoader(Map.of())
        .parse(POLICIES + yaml, StreamsAppConfig.class, "test.yaml")
        .processing();
  }

  private static String failure(String yaml) {
    try {
      pipelines(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  private static KeyValue kv(String k, Object v) {
    return io.otelstream.streams.it.Otlp.kv(k, v);
  }

  private static Map<String, Object> map(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      out.put(
          kv.getKey(),
          switch (v.getValueCase()) {
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> v.getStringValue();
          });
    }
    return out;
  }

  private static ExportTraceServiceRequest.Builder spans(String service, Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1"))
                        .addAllSpans(List.of(spans))));
  }

  private static Span span(String name, Span.SpanKind kind, KeyValue... attributes) {
    return Span.newBuilder()
        .setName(name)
        .setKind(kind)
        .addAllAttributes(List.of(attributes))
        .build();
  }

  private static List<Span> spansOf(ExportTraceServiceRequest.Builder r) {
    List<Span> out = new ArrayList<>();
    r.getResourceSpansList()
        .forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
    return out;
  }

  private static final Pipelines.Drops NO_DROPS =
      (p, n) -> {
        throw new AssertionError("nothing should be dropped");
      };

  @Test
  void attributeActionsAsTheCollectorAppliesThem() {
    Pipelines p =
        pipelines(
            """
            processors:
              attributes/all:
                actions:
                  - {key: env, value: prod, action: insert}
                  - {key: tier, value: gold, action: insert}
                  - {key: region, value: eu, action: update}
                  - {key: missing, value: x, action: update}
                  - {key: copy, from_attribute: user_id, action: upsert}
                  - {key: user_id, action: hash}
                  - {pattern: ^secret_, action: delete}
                  - {key: url, pattern: '^(?P<scheme>[a-z]+)://(?P<host_name>[^/]+)', action: extract}
                  - {key: n, action: convert, converted_type: int}
                  - {key: d, action: convert, converted_type: string}
                  - {key: bad, action: convert, converted_type: int}
                  - {key: flag, action: hash}
                  - {key: count, action: hash}
            pipelines: {traces: {processors: [attributes/all]}}
            """);
    var r =
        spans(
            "shop",
            span(
                "GET",
                Span.SpanKind.SPAN_KIND_SERVER,
                kv("tier", "silver"),
                kv("region", "us"),
                kv("user_id", "alice"),
                kv("secret_token", "x"),
                kv("secret_key", "y"),
                kv("url", "https://example.com/a"),
                kv("n", "42"),
                kv("d", 1.0),
                kv("bad", "forty"),
                kv("flag", true),
                kv("count", 7L)));
    p.traces(r, NO_DROPS);
    Map<String, Object> got = map(spansOf(r).get(0).getAttributesList());
    Map<String, Object> want = new LinkedHashMap<>();
    want.put("tier", "silver");
    want.put("region", "eu");
    // SHA-256 of the UTF-8 bytes, of the 1-byte boolean, of the little-endian int64
    want.put("user_id", "2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90");
    want.put("url", "https://example.com/a");
    want.put("n", 42L);
    want.put("d", "1");
    want.put("bad", "forty");
    want.put("flag", "4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a");
    want.put("env", "prod");
    want.put("copy", "alice");
    want.put("scheme", "https");
    want.put("host_name", "example.com");
    got.remove("count"); // checked below against the digest of its bytes
    assertThat(got).isEqualTo(want);
    assertThat(map(spansOf(r).get(0).getAttributesList()).get("count"))
        .isEqualTo(sha256(new byte[] {7, 0, 0, 0, 0, 0, 0, 0}));
  }

  private static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void includeAndExcludeSelectSpansByEveryPropertyStrictAndRegexp() {
    Pipelines p =
        pipelines(
            """
            processors:
              attributes/strict:
                include:
                  match_type: strict
                  services: [shop]
                  span_kinds: [SPAN_KIND_SERVER]
                  attributes: [{key: http.status_code, value: 500}]
                  libraries: [{name: lib, version: "1"}]
                actions: [{key: strict, value: true, action: insert}]
              attributes/regexp:
                include:
                  match_type: regexp
                  span_names: ["^GET "]
                  resources: [{key: service.name, value: "sh.p"}]
                exclude:
                  match_type: regexp
                  attributes: [{key: http.route, value: health}]
                actions: [{key: regexp, value: true, action: insert}]
            pipelines: {traces: {processors: [attributes/strict, attributes/regexp]}}
            """);
    var r =
        spans(
            "shop",
            span("GET /a", Span.SpanKind.SPAN_KIND_SERVER, kv("http.status_code", 500L)),
            span("GET /b", Span.SpanKind.SPAN_KIND_CLIENT, kv("http.status_code", 500L)),
            span("GET /c", Span.SpanKind.SPAN_KIND_SERVER, kv("http.status_code", "500")),
            span("GET /health", Span.SpanKind.SPAN_KIND_SERVER, kv("http.route", "/healthz")),
            span("POST /d", Span.SpanKind.SPAN_KIND_SERVER, kv("http.status_code", 500L)));
    p.traces(r, NO_DROPS);
    List<Span> out = spansOf(r);
    assertThat(out)
        .extracting(
            s ->
                map(s.getAttributesList()).keySet().stream()
                    .filter(k -> k.equals("strict") || k.equals("regexp"))
                    .toList())
        .containsExactly(
            List.of("strict", "regexp"), // every strict property matches
            List.of("regexp"), // kind differs
            List.of("regexp"), // strict value 500 is an int, the attribute a string
            List.of(), // regexp exclude on http.route
            List.of("strict")); // name does not match ^GET
  }

  @Test
  void filterRemovesSpansMetricsAndLogsAndCountsThem() {
    Pipelines p =
        pipelines(
            """
            processors:
              filter/spans:
                spans:
                  exclude: {match_type: strict, span_names: [healthcheck]}
              filter/metrics:
                metrics:
                  include: {match_type: regexp, metric_names: ["^http\\\\."]}
              filter/logs:
                logs:
                  exclude:
                    match_type: regexp
                    bodies: ["health check.*"]
                  include:
                    match_type: strict
                    severity_number: {min: INFO, match_undefined: true}
            pipelines:
              traces: {processors: [filter/spans]}
              metrics: {processors: [filter/metrics]}
              logs: {processors: [filter/logs]}
            """);
    Map<String, Long> dropped = new LinkedHashMap<>();
    Pipelines.Drops drops = (name, n) -> dropped.merge(name, n, Long::sum);

    var t =
        spans(
            "shop",
            span("healthcheck", Span.SpanKind.SPAN_KIND_SERVER),
            span("GET", Span.SpanKind.SPAN_KIND_SERVER));
    p.traces(t, drops);
    assertThat(spansOf(t)).extracting(Span::getName).containsExactly("GET");
    var onlyHealth = spans("shop", span("healthcheck", Span.SpanKind.SPAN_KIND_SERVER));
    p.traces(onlyHealth, drops);
    assertThat(onlyHealth.getResourceSpansCount()).as("empty resources removed").isZero();

    var m =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(gauge("http.server.active_requests"))
                            .addMetrics(gauge("process.cpu.time"))));
    p.metrics(m, drops);
    assertThat(m.getResourceMetrics(0).getScopeMetrics(0).getMetricsList())
        .extracting(Metric::getName)
        .containsExactly("http.server.active_requests");

    var l =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(
                                log("health check ok", SeverityNumber.SEVERITY_NUMBER_INFO))
                            .addLogRecords(
                                log("debug detail", SeverityNumber.SEVERITY_NUMBER_DEBUG))
                            .addLogRecords(
                                log("no severity", SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED))
                            .addLogRecords(
                                log("order placed", SeverityNumber.SEVERITY_NUMBER_WARN))));
    p.logs(l, drops);
    assertThat(l.getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
        .extracting(r -> r.getBody().getStringValue())
        .containsExactly("no severity", "order placed");
    assertThat(dropped)
        .isEqualTo(Map.of("filter/spans", 2L, "filter/metrics", 1L, "filter/logs", 2L));
    assertThat(p.filters(Signal.LOGS)).containsExactly("filter/logs");
  }

  private static Metric gauge(String name) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
        .build();
  }

  private static LogRecord log(String body, SeverityNumber severity) {
    return LogRecord.newBuilder()
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .setSeverityNumber(severity)
        .build();
  }

  @Test
  void resourceActionsAndMetricDataPointAttributes() {
    Pipelines p =
        pipelines(
            """
            processors:
              resource:
                attributes:
                  - {key: deployment.environment, value: prod, action: upsert}
                  - {key: host.id, action: delete}
              attributes/points:
                include: {match_type: strict, metric_names: [requests]}
                actions: [{key: user_id, action: delete}]
            pipelines: {metrics: {processors: [resource, attributes/points]}}
            """);
    NumberDataPoint point =
        NumberDataPoint.newBuilder()
            .addAttributes(kv("user_id", "u"))
            .addAttributes(kv("code", "200"))
            .setAsInt(1)
            .build();
    var m =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("host.id", "h1")))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("requests")
                                    .setGauge(Gauge.newBuilder().addDataPoints(point)))
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("other")
                                    .setGauge(Gauge.newBuilder().addDataPoints(point)))));
    p.metrics(m, NO_DROPS);
    ResourceMetrics rm = m.getResourceMetrics(0);
    assertThat(map(rm.getResource().getAttributesList()))
        .isEqualTo(Map.of("deployment.environment", "prod"));
    assertThat(
            map(
                rm.getScopeMetrics(0)
                    .getMetrics(0)
                    .getGauge()
                    .getDataPoints(0)
                    .getAttributesList()))
        .isEqualTo(Map.of("code", "200"));
    assertThat(
            map(
                rm.getScopeMetrics(0)
                    .getMetrics(1)
                    .getGauge()
                    .getDataPoints(0)
                    .getAttributesList()))
        .isEqualTo(Map.of("user_id", "u", "code", "200"));
  }

  @Test
  void redactionRemovesMasksAndCountsAsTheCollector() {
    Pipelines p =
        pipelines(
            """
            processors:
              redaction/cards:
                allowed_keys: [description, note, card, password, token, id]
                ignored_keys: [safe]
                blocked_values: ["4[0-9]{12}(?:[0-9]{3})?"]
                allowed_values: [".+@example[.]com"]
                blocked_key_patterns: ["^pass"]
                summary: debug
              redaction/hash:
                allow_all_keys: true
                blocked_values: ["secret-[a-z]+"]
                hash_function: sha1
            pipelines:
              traces: {processors: [redaction/cards]}
              logs: {processors: [redaction/cards, redaction/hash]}
            """);
    Map<String, Long> counted = new LinkedHashMap<>();
    Pipelines.Drops counts =
        new Pipelines.Drops() {
          @Override
          public void removed(String processor, long items) {
            throw new AssertionError("nothing removed");
          }

          @Override
          public void redacted(String processor, String reason, long values) {
            counted.merge(processor + "/" + reason, values, Long::sum);
          }
        };
    var r =
        spans(
            "shop",
            span(
                "pay",
                Span.SpanKind.SPAN_KIND_SERVER,
                kv("description", "card 4111111111111111 and 4012888888881881 used"),
                kv("note", "mail bob@example.com 4111111111111111"),
                kv("password", "hunter2"),
                kv("safe", "4111111111111111"),
                kv("id", 4111111111111111L),
                kv("user", "alice")));
    p.traces(r, counts);
    Map<String, Object> got = map(spansOf(r).get(0).getAttributesList());
    assertThat(got)
        .containsEntry("description", "card **** and **** used")
        .containsEntry("note", "mail bob@example.com 4111111111111111") // allowed value
        .containsEntry("password", "****")
        .containsEntry("safe", "4111111111111111") // ignored key
        .containsEntry("id", 4111111111111111L) // not a string
        .doesNotContainKey("user") // not allowed
        .containsEntry("redaction.redacted.keys", "user")
        .containsEntry("redaction.redacted.count", 1L)
        .containsEntry("redaction.masked.keys", "description,password")
        .containsEntry("redaction.masked.count", 2L);
    // the resource's service.name is not an allowed key either
    assertThat(r.getResourceSpans(0).getResource().getAttributesList())
        .extracting(KeyValue::getKey)
        .containsExactly("redaction.redacted.keys", "redaction.redacted.count");

    var logs =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(
                                LogRecord.newBuilder()
                                    .setBody(
                                        AnyValue.newBuilder()
                                            .setStringValue(
                                                "paid with 4111111111111111, secret-abc")))
                            .addLogRecords(
                                LogRecord.newBuilder()
                                    .setBody(
                                        AnyValue.newBuilder()
                                            .setKvlistValue(
                                                io.opentelemetry.proto.common.v1.KeyValueList
                                                    .newBuilder()
                                                    .addValues(kv("card", "4111111111111111"))
                                                    .addValues(kv("other", "x")))))));
    p.logs(logs, counts);
    var records = logs.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(records.get(0).getBody().getStringValue())
        .isEqualTo("paid with ****, " + sha1("secret-abc"));
    assertThat(map(records.get(0).getAttributesList()))
        .containsEntry("redaction.body.masked.keys", "body")
        .containsEntry("redaction.body.masked.count", 1L);
    assertThat(records.get(1).getBody().getKvlistValue().getValuesList())
        .containsExactly(kv("card", "****"));
    assertThat(counted)
        .containsEntry("redaction/cards/blocked_value", 3L) // values, not matches
        .containsEntry("redaction/cards/blocked_key", 1L)
        .containsEntry("redaction/hash/blocked_value", 1L);
    assertThat(p.redactions(Signal.LOGS)).containsExactly("redaction/cards", "redaction/hash");
  }

  private static String sha1(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-1")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theSeedsConfigurationParses() throws Exception {
    String seed =
        new String(
            PipelinesTest.class
                .getResourceAsStream("/seed/collector-processors.yaml")
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    Pipelines p =
        pipelines(
            seed
                + "\npipelines:\n  traces: {processors: [attributes]}\n"
                + "  metrics: {processors: [attributes, filter/metrics]}\n"
                + "  logs: {processors: [attributes, filter/logs]}\n");
    assertThat(p.filters(Signal.METRICS)).containsExactly("filter/metrics");
    assertThat(p.filters(Signal.LOGS)).containsExactly("filter/logs");
  }

  @Test
  void whatTheCollectorRefusesOrOtelstreamCannotRunFailsNamingTheKey() {
    assertThat(
            failure(
                "processors: {attributes: {actions: [{key: a, action: insert}]}}\n"
                    + "pipelines: {traces: {processors: [attributes]}}\n"))
        .contains("processors.attributes: actions[0]")
        .contains("needs exactly one of value, from_attribute");
    assertThat(
            failure(
                "processors: {attributes: {actions: [{key: a, action: delete, colour: red}]}}\n"
                    + "pipelines: {traces: {processors: [attributes]}}\n"))
        .contains("unknown key 'actions[0].colour'");
    assertThat(
            failure(
                "processors: {filter/ottl: {traces: {span: ['attributes[\"a\"] == \"b\"']}}}\n"
                    + "pipelines: {traces: {processors: [filter/ottl]}}\n"))
        .contains("processors.filter/ottl")
        .contains("OTTL conditions");
    assertThat(
            failure(
                "processors: {filter/m: {metrics: {metric: ['name == \"x\"']}}}\n"
                    + "pipelines: {metrics: {processors: [filter/m]}}\n"))
        .contains("OTTL conditions (metric and datapoint)");
    assertThat(
            failure(
                "processors: {redaction: {hash_function: crc32}}\n"
                    + "pipelines: {logs: {processors: [redaction]}}\n"))
        .contains("hash_function must be md5, sha1 or sha3");
    assertThat(
            failure(
                "processors: {transform: {trace_statements: []}}\n"
                    + "pipelines: {traces: {processors: [transform]}}\n"))
        .contains("processors.transform: OTTL statements are not supported");
    assertThat(
            failure(
                "processors: {attributes: {actions: [{key: a, action: delete}]}}\n"
                    + "pipelines: {traces: {processors: [attributes, batch]}}\n"))
        .contains("lists processor 'batch', which processors does not define");
    assertThat(failure("processors: {attributes: {actions: [{key: a, action: delete}]}}\n"))
        .contains("no pipelines list them");
    assertThat(
            failure(
                "processors:\n  attributes:\n    include: {match_type: strict, bodies: [x]}\n"
                    + "    actions: [{key: a, action: delete}]\n"
                    + "pipelines: {traces: {processors: [attributes]}}\n"))
        .contains("include (for spans): log_bodies/bodies does not apply to spans");
    assertThat(
            failure(
                "processors: {attributes: {actions: [{key: a, action: extract, pattern: '(x)'}]}}\n"
                    + "pipelines: {logs: {processors: [attributes]}}\n"))
        .contains("every group must be named");
    assertThat(
            failure(
                "processors: {filter: {metrics: {exclude: {match_type: expr, expressions: [x]}}}}\n"
                    + "pipelines: {metrics: {processors: [filter]}}\n"))
        .contains("match_type expr and expressions are not supported");
    // batch and memory_limiter paste and do nothing
    assertThat(
            pipelines(
                    "processors: {batch: {timeout: 1s}, memory_limiter: {limit_mib: 400}}\n"
                        + "pipelines: {traces: {processors: [memory_limiter, batch]}}\n")
                .isEmpty(Signal.TRACES))
        .isFalse();
  }
}
