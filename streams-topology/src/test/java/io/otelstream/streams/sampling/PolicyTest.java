package io.otelstream.streams.sampling;

import static io.otelstream.streams.sampling.Traces.bool;
import static io.otelstream.streams.sampling.Traces.num;
import static io.otelstream.streams.sampling.Traces.span;
import static io.otelstream.streams.sampling.Traces.str;
import static io.otelstream.streams.sampling.Traces.trace;
import static io.otelstream.streams.sampling.Traces.withAttr;
import static io.otelstream.streams.sampling.Traces.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every policy type, configured in the Collector's YAML shape. */
class PolicyTest {
  static SamplingEngine engine(String policiesYaml) {
    TailSamplingConfig c =
        new ConfigLoader(Map.of())
            .parse(policiesYaml, TailSamplingConfig.class, "tail_sampling.yaml");
    return PolicyFactory.engine(c, "tail_sampling");
  }

  static boolean sampled(SamplingEngine e, TraceData t) {
    return e.decide(t, 0).sampled();
  }

  @Test
  void alwaysSample() {
    assertThat(
            sampled(
                engine("policies: [{name: all, type: always_sample}]"),
                trace().span(span(0, 1)).build()))
        .isTrue();
  }

  @Test
  void latencyUsesEarliestStartToLatestEnd() {
    SamplingEngine e =
        engine("policies: [{name: slow, type: latency, latency: {threshold_ms: 500}}]");
    assertThat(sampled(e, trace().span(span(1000, 1100)).span(span(1400, 1600)).build())).isTrue();
    assertThat(sampled(e, trace().span(span(1000, 1100)).span(span(1050, 1499)).build())).isFalse();
    SamplingEngine band =
        engine(
            "policies: [{name: band, type: latency, latency: {threshold_ms: 100, upper_threshold_ms: 200}}]");
    assertThat(sampled(band, trace().span(span(1000, 1150)).build())).isTrue();
    assertThat(sampled(band, trace().span(span(1000, 1250)).build())).isFalse();
    assertThat(sampled(band, trace().span(span(1000, 1100)).build()))
        .as("the lower bound is exclusive with an upper one, as in the Collector")
        .isFalse();
    // As the Collector: span by span, the first span at which the band holds decides, even if a
    // later span makes the trace longer.
    assertThat(sampled(band, trace().span(span(1000, 1150)).span(span(1000, 1250)).build()))
        .isTrue();
  }

  /** Span times are unsigned: reversed or out-of-range times decide as in the Collector. */
  @Test
  void latencyIsSafeWithReversedAndOutOfRangeTimes() {
    SamplingEngine e =
        engine("policies: [{name: slow, type: latency, latency: {threshold_ms: 500}}]");
    assertThat(sampled(e, trace().span(span(5000, 1000)).build()))
        .as("end before start: a negative duration")
        .isFalse();
    var pastSignedRange = span(1000, 1000).setEndTimeUnixNano(Long.MIN_VALUE); // 2^63 ns, unsigned
    assertThat(sampled(e, trace().span(pastSignedRange).build()))
        .as("an end past 2^63 ns is before 1970 for Go's AsTime: no forced keep")
        .isFalse();
    var startPastRange = span(1000, 3000).setStartTimeUnixNano(-1L); // 2^64 - 1 ns
    assertThat(sampled(e, trace().span(startPastRange).build()))
        .as("a start past 2^63 cannot make the duration overflow to a keep")
        .isTrue(); // Go: AsTime(-1 ns) = 1969, so 3 s - (-1 ns) ≥ 500 ms, as the Collector
  }

  @Test
  void numericAttributeOnSpanOrResource() {
    SamplingEngine e =
        engine(
            "policies: [{name: http5xx, type: numeric_attribute, numeric_attribute: {key: http.status_code, min_value: 500, max_value: 599}}]");
    assertThat(sampled(e, trace().span(withAttr(span(0, 1), "http.status_code", num(503))).build()))
        .isTrue();
    assertThat(sampled(e, trace().span(withAttr(span(0, 1), "http.status_code", num(200))).build()))
        .isFalse();
    assertThat(sampled(e, trace().resource("http.status_code", num(500)).span(span(0, 1)).build()))
        .isTrue();
  }

  @Test
  void stringAttributeExactRegexAndInvert() {
    SamplingEngine exact =
        engine(
            "policies: [{name: s, type: string_attribute, string_attribute: {key: svc, values: [checkout, cart]}}]");
    assertThat(sampled(exact, trace().span(withAttr(span(0, 1), "svc", str("cart"))).build()))
        .isTrue();
    assertThat(
            sampled(exact, trace().span(withAttr(span(0, 1), "svc", str("cartography"))).build()))
        .isFalse();
    SamplingEngine regex =
        engine(
            "policies: [{name: s, type: string_attribute, string_attribute: {key: url, values: ['^/api/v[0-9]+/'], enabled_regex_matching: true}}]");
    assertThat(
            sampled(
                regex, trace().span(withAttr(span(0, 1), "url", str("/api/v2/orders"))).build()))
        .isTrue();
    assertThat(sampled(regex, trace().span(withAttr(span(0, 1), "url", str("/health"))).build()))
        .isFalse();
    SamplingEngine invert =
        engine(
            "policies: [{name: s, type: string_attribute, string_attribute: {key: url, values: [/health], invert_match: true}}]");
    assertThat(
            invert
                .decide(trace().span(withAttr(span(0, 1), "url", str("/health"))).build(), 0)
                .rule())
        .isEqualTo("invert_not_sampled");
    assertThat(
            invert
                .decide(trace().span(withAttr(span(0, 1), "url", str("/orders"))).build(), 0)
                .rule())
        .isEqualTo("invert_sampled");
  }

  @Test
  void statusCode() {
    SamplingEngine e =
        engine(
            "policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]");
    assertThat(
            sampled(
                e,
                trace()
                    .span(span(0, 1))
                    .span(withStatus(span(0, 1), Status.StatusCode.STATUS_CODE_ERROR))
                    .build()))
        .isTrue();
    assertThat(
            sampled(
                e, trace().span(withStatus(span(0, 1), Status.StatusCode.STATUS_CODE_OK)).build()))
        .isFalse();
  }

  @Test
  void rateLimitingPerSecondOfStreamTime() {
    SamplingEngine e =
        engine("policies: [{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 3}}]");
    TraceData two = trace().span(span(0, 1)).span(span(0, 1)).build();
    assertThat(e.decide(two, 1_000).sampled()).isTrue();
    assertThat(e.decide(two, 1_500).sampled()).as("4 > 3 in the same second").isFalse();
    assertThat(e.decide(two, 2_000).sampled()).as("a new second").isTrue();
  }

  @Test
  void bytesLimitingTokenBucket() {
    TraceData t = trace().span(span(0, 1)).build();
    long bytes = t.encodedBytes();
    SamplingEngine e =
        engine(
            "policies: [{name: b, type: bytes_limiting, bytes_limiting: {bytes_per_second: "
                + bytes
                + ", burst_capacity: "
                + bytes
                + "}}]");
    assertThat(e.decide(t, 0).sampled()).isTrue();
    assertThat(e.decide(t, 10).sampled()).as("bucket empty").isFalse();
    assertThat(e.decide(t, 1_010).sampled()).as("refilled after a second").isTrue();
  }

  @Test
  void spanCount() {
    SamplingEngine e =
        engine("policies: [{name: c, type: span_count, span_count: {min_spans: 2, max_spans: 3}}]");
    assertThat(sampled(e, trace().span(span(0, 1)).build())).isFalse();
    assertThat(sampled(e, trace().span(span(0, 1)).span(span(0, 1)).build())).isTrue();
    assertThat(
            sampled(
                e,
                trace()
                    .span(span(0, 1))
                    .span(span(0, 1))
                    .span(span(0, 1))
                    .span(span(0, 1))
                    .build()))
        .isFalse();
  }

  @Test
  void booleanAttribute() {
    SamplingEngine e =
        engine(
            "policies: [{name: b, type: boolean_attribute, boolean_attribute: {key: debug, value: true}}]");
    assertThat(sampled(e, trace().span(withAttr(span(0, 1), "debug", bool(true))).build()))
        .isTrue();
    assertThat(sampled(e, trace().span(withAttr(span(0, 1), "debug", str("true"))).build()))
        .as("string is not bool")
        .isFalse();
  }

  @Test
  void traceStateAndTraceFlags() {
    SamplingEngine ts =
        engine(
            "policies: [{name: t, type: trace_state, trace_state: {key: vendor, values: [keep]}}]");
    assertThat(sampled(ts, trace().span(span(0, 1).setTraceState("other=1,vendor=keep")).build()))
        .isTrue();
    assertThat(sampled(ts, trace().span(span(0, 1).setTraceState("vendor=drop")).build()))
        .isFalse();
    SamplingEngine flags = engine("policies: [{name: f, type: trace_flags}]");
    assertThat(sampled(flags, trace().span(span(0, 1).setFlags(0x101)).build())).isTrue();
    assertThat(sampled(flags, trace().span(span(0, 1).setFlags(0x100)).build())).isFalse();
  }

  @Test
  void andNotAndDrop() {
    String errorsAndCheckout =
        "[{name: e, type: status_code, status_code: {status_codes: [ERROR]}}, "
            + "{name: c, type: string_attribute, string_attribute: {key: svc, values: [checkout]}}]";
    SamplingEngine and =
        engine(
            "policies: [{name: a, type: and, and: {and_sub_policy: " + errorsAndCheckout + "}}]");
    TraceData errorCheckout =
        trace()
            .span(
                withStatus(
                    withAttr(span(0, 1), "svc", str("checkout")),
                    Status.StatusCode.STATUS_CODE_ERROR))
            .build();
    TraceData errorCart =
        trace()
            .span(
                withStatus(
                    withAttr(span(0, 1), "svc", str("cart")), Status.StatusCode.STATUS_CODE_ERROR))
            .build();
    assertThat(sampled(and, errorCheckout)).isTrue();
    assertThat(sampled(and, errorCart)).isFalse();

    SamplingEngine not =
        engine(
            "policies: [{name: n, type: not, not: {not_sub_policy: {name: c, type: string_attribute, string_attribute: {key: svc, values: [checkout]}}}}]");
    assertThat(sampled(not, errorCheckout)).isFalse();
    assertThat(sampled(not, errorCart)).isTrue();

    SamplingEngine drop =
        engine(
            "policies: [{name: all, type: always_sample}, {name: d, type: drop, drop: {drop_sub_policy: [{name: c, type: string_attribute, string_attribute: {key: svc, values: [checkout]}}]}}]");
    SamplingEngine.Outcome dropped = drop.decide(errorCheckout, 0);
    assertThat(dropped.sampled()).isFalse();
    assertThat(dropped.rule()).isEqualTo("dropped");
    assertThat(dropped.policy()).isEqualTo("d");
    assertThat(sampled(drop, errorCart)).isTrue();
  }

  @Test
  void compositeBudgetsPerSubPolicy() {
    SamplingEngine e =
        engine(
            """
        policies:
          - name: comp
            type: composite
            composite:
              max_total_spans_per_second: 10
              policy_order: [errors, rest]
              composite_sub_policy:
                - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                - {name: rest, type: always_sample}
              rate_allocation:
                - {policy: errors, percent: 50}
                - {policy: rest, percent: 20}
        """);
    TraceData error4 =
        trace()
            .span(withStatus(span(0, 1), Status.StatusCode.STATUS_CODE_ERROR))
            .span(span(0, 1))
            .span(span(0, 1))
            .span(span(0, 1))
            .build();
    TraceData plain2 = trace().span(span(0, 1)).span(span(0, 1)).build();
    assertThat(e.decide(error4, 0).sampled()).as("errors budget 5: 4 fit").isTrue();
    assertThat(e.decide(error4, 0).sampled())
        .as("errors budget exhausted; rest budget 2 < 4")
        .isFalse();
    assertThat(e.decide(plain2, 0).sampled()).as("rest budget 2").isTrue();
    assertThat(e.decide(plain2, 0).sampled()).isFalse();
    assertThat(e.decide(plain2, 1_000).sampled()).as("budgets reset each second").isTrue();
  }
}
