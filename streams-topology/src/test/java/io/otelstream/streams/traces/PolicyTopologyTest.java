package io.otelstream.streams.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.OtelstreamTopology;
import io.otelstream.streams.app.TestTopologies;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every policy type and every decision-combination rule through the real topology: one trace that
 * must be kept and one that must not, in the Collector's YAML shape.
 */
class PolicyTopologyTest {
  /** How the spans of the kept and the other trace differ. */
  private record Case(
      String policies, UnaryOperator<Span.Builder> kept, UnaryOperator<Span.Builder> other) {}

  private static UnaryOperator<Span.Builder> attr(String key, AnyValue v) {
    return s -> s.addAttributes(KeyValue.newBuilder().setKey(key).setValue(v));
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue num(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  private static UnaryOperator<Span.Builder> status(Status.StatusCode code) {
    return s -> s.setStatus(Status.newBuilder().setCode(code));
  }

  private static UnaryOperator<Span.Builder> lasting(long ms) {
    return s -> s.setEndTimeUnixNano(s.getStartTimeUnixNano() + ms * 1_000_000);
  }

  private static final UnaryOperator<Span.Builder> PLAIN = s -> s;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("always_sample", new Case("[{name: p, type: always_sample}]", PLAIN, null)),
        Arguments.of(
            "latency",
            new Case(
                "[{name: p, type: latency, latency: {threshold_ms: 100}}]",
                lasting(150),
                lasting(50))),
        Arguments.of(
            "numeric_attribute",
            new Case(
                "[{name: p, type: numeric_attribute, numeric_attribute: {key: code, min_value: 500, max_value: 599}}]",
                attr("code", num(503)),
                attr("code", num(200)))),
        Arguments.of(
            "probabilistic",
            new Case(
                "[{name: p, type: probabilistic, probabilistic: {sampling_percentage: 100}}]",
                PLAIN,
                null)),
        Arguments.of(
            "probabilistic 0%",
            new Case(
                "[{name: p, type: probabilistic, probabilistic: {sampling_percentage: 0}}]",
                null,
                PLAIN)),
        Arguments.of(
            "status_code",
            new Case(
                "[{name: p, type: status_code, status_code: {status_codes: [ERROR]}}]",
                status(Status.StatusCode.STATUS_CODE_ERROR),
                status(Status.StatusCode.STATUS_CODE_OK))),
        Arguments.of(
            "string_attribute",
            new Case(
                "[{name: p, type: string_attribute, string_attribute: {key: svc, values: [cart]}}]",
                attr("svc", str("cart")),
                attr("svc", str("carts")))),
        Arguments.of(
            "string_attribute regex",
            new Case(
                "[{name: p, type: string_attribute, string_attribute: {key: url, values: ['^/api/'], enabled_regex_matching: true}}]",
                attr("url", str("/api/x")),
                attr("url", str("/web/x")))),
        Arguments.of(
            "string_attribute invert_match",
            new Case(
                "[{name: p, type: string_attribute, string_attribute: {key: url, values: [/health], invert_match: true}}]",
                attr("url", str("/orders")),
                attr("url", str("/health")))),
        Arguments.of(
            "rate_limiting",
            new Case(
                "[{name: p, type: rate_limiting, rate_limiting: {spans_per_second: 1}}]",
                PLAIN,
                PLAIN)),
        Arguments.of(
            "bytes_limiting",
            new Case(
                "[{name: p, type: bytes_limiting, bytes_limiting: {bytes_per_second: 60, burst_capacity: 60}}]",
                PLAIN,
                PLAIN)),
        Arguments.of(
            "span_count",
            new Case("[{name: p, type: span_count, span_count: {min_spans: 2}}]", null, PLAIN)),
        Arguments.of(
            "boolean_attribute",
            new Case(
                "[{name: p, type: boolean_attribute, boolean_attribute: {key: debug, value: true}}]",
                attr("debug", AnyValue.newBuilder().setBoolValue(true).build()),
                attr("debug", AnyValue.newBuilder().setBoolValue(false).build()))),
        Arguments.of(
            "trace_state",
            new Case(
                "[{name: p, type: trace_state, trace_state: {key: v, values: [keep]}}]",
                s -> s.setTraceState("v=keep"),
                s -> s.setTraceState("v=drop"))),
        Arguments.of(
            "trace_flags",
            new Case("[{name: p, type: trace_flags}]", s -> s.setFlags(1), s -> s.setFlags(0))),
        Arguments.of(
            "and",
            new Case(
                "[{name: p, type: and, and: {and_sub_policy: ["
                    + "{name: a, type: status_code, status_code: {status_codes: [ERROR]}},"
                    + "{name: b, type: string_attribute, string_attribute: {key: svc, values: [cart]}}]}}]",
                s ->
                    attr("svc", str("cart"))
                        .apply(status(Status.StatusCode.STATUS_CODE_ERROR).apply(s)),
                attr("svc", str("cart")))),
        Arguments.of(
            "not",
            new Case(
                "[{name: p, type: not, not: {not_sub_policy: "
                    + "{name: a, type: string_attribute, string_attribute: {key: svc, values: [noisy]}}}}]",
                attr("svc", str("cart")),
                attr("svc", str("noisy")))),
        Arguments.of(
            "drop",
            new Case(
                "[{name: all, type: always_sample}, {name: p, type: drop, drop: {drop_sub_policy: ["
                    + "{name: a, type: string_attribute, string_attribute: {key: svc, values: [noisy]}}]}}]",
                attr("svc", str("cart")),
                attr("svc", str("noisy")))),
        Arguments.of(
            "composite",
            new Case(
                """
            [{name: p, type: composite, composite: {max_total_spans_per_second: 1, policy_order: [a],
              composite_sub_policy: [{name: a, type: always_sample}], rate_allocation: [{policy: a, percent: 100}]}}]""",
                PLAIN,
                PLAIN)),
        Arguments.of(
            "rule: dropped beats sampled",
            new Case(
                "[{name: e, type: status_code, status_code: {status_codes: [ERROR]}},"
                    + "{name: d, type: drop, drop: {drop_sub_policy: [{name: x, type: string_attribute, string_attribute: {key: svc, values: [noisy]}}]}}]",
                status(Status.StatusCode.STATUS_CODE_ERROR),
                s ->
                    attr("svc", str("noisy"))
                        .apply(status(Status.StatusCode.STATUS_CODE_ERROR).apply(s)))),
        Arguments.of(
            "rule: invert-not-sampled beats sampled",
            new Case(
                "[{name: e, type: status_code, status_code: {status_codes: [ERROR]}},"
                    + "{name: i, type: string_attribute, string_attribute: {key: svc, values: [noisy], invert_match: true}}]",
                status(Status.StatusCode.STATUS_CODE_ERROR),
                s ->
                    attr("svc", str("noisy"))
                        .apply(status(Status.StatusCode.STATUS_CODE_ERROR).apply(s)))),
        Arguments.of(
            "rule: sampled beats not-sampled",
            new Case(
                "[{name: e, type: status_code, status_code: {status_codes: [ERROR]}},"
                    + "{name: n, type: span_count, span_count: {min_spans: 5}}]",
                status(Status.StatusCode.STATUS_CODE_ERROR),
                status(Status.StatusCode.STATUS_CODE_OK))),
        Arguments.of(
            "rule: invert-sampled only without not-sampled",
            new Case(
                "[{name: i, type: string_attribute, string_attribute: {key: svc, values: [noisy], invert_match: true}},"
                    + "{name: n, type: status_code, status_code: {status_codes: [ERROR]}}]",
                s ->
                    attr("svc", str("cart"))
                        .apply(status(Status.StatusCode.STATUS_CODE_ERROR).apply(s)),
                attr("svc", str("cart")))),
        Arguments.of(
            "rule: invert-sampled samples when no policy votes not-sampled",
            new Case(
                "[{name: i, type: string_attribute, string_attribute: {key: svc, values: [noisy], invert_match: true}}]",
                attr("svc", str("cart")),
                attr("svc", str("noisy")))),
        Arguments.of(
            "rule: sample_on_first_match skips a later veto",
            new Case(
                "[{name: e, type: status_code, status_code: {status_codes: [ERROR]}},"
                    + "{name: i, type: string_attribute, string_attribute: {key: svc, values: [noisy], invert_match: true}}]\nsample_on_first_match: true",
                s ->
                    attr("svc", str("noisy"))
                        .apply(status(Status.StatusCode.STATUS_CODE_ERROR).apply(s)),
                attr("svc", str("noisy")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsExactlyTheExpectedTrace(String name, Case c) throws Exception {
    String yaml = "decision_wait: 5s\npolicies: " + c.policies();
    TailSamplingConfig config =
        new ConfigLoader(Map.of()).parse(yaml, TailSamplingConfig.class, name);
    TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    var parts = TestTopologies.parts(config, registry);
    Properties p = TestTopologies.driverProperties("policies");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(OtelstreamTopology.build(topics, parts), p, Instant.EPOCH)) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              topics.name(Topic.TRACES), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> out =
          driver.createOutputTopic(
              topics.name(Topic.TRACES_SAMPLED),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      byte[] keptId = ByteBuffer.allocate(16).putLong(0x1111).putLong(1).array();
      byte[] otherId = ByteBuffer.allocate(16).putLong(0x2222).putLong(2).array();
      if (c.kept() != null) {
        in.pipeInput(
            HexFormat.of().formatHex(keptId).getBytes(StandardCharsets.US_ASCII),
            trace(keptId, c.kept()),
            0L);
      }
      if (c.other() != null) {
        in.pipeInput(
            HexFormat.of().formatHex(otherId).getBytes(StandardCharsets.US_ASCII),
            trace(otherId, c.other()),
            1L);
      }
      in.pipeInput(
          "ffffffffffffffffffffffffffffffff".getBytes(StandardCharsets.US_ASCII),
          trace(HexFormat.of().parseHex("ffffffffffffffffffffffffffffffff"), PLAIN),
          60_000L); // advances stream time
      List<String> keys =
          out.readKeyValuesToList().stream()
              .map(kv -> new String(kv.key, StandardCharsets.US_ASCII))
              .filter(k -> !k.startsWith("ffff"))
              .toList();
      List<String> expected =
          c.kept() == null ? List.of() : List.of(HexFormat.of().formatHex(keptId));
      assertThat(keys).as(name).isEqualTo(expected);
    }
  }

  private static byte[] trace(byte[] id, UnaryOperator<Span.Builder> shape) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(id))
            .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
            .setName("op")
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_010_000_000L);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(shape.apply(s))))
        .build()
        .toByteArray();
  }
}
