package io.otelstream.streams.sampling;

import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.config.ConfigException;
import io.otelstream.streams.sampling.TailSamplingConfig.PolicyConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds policies from configuration; every problem names the key path and the reason. */
public final class PolicyFactory {
  private PolicyFactory() {}

  public static SamplingEngine engine(TailSamplingConfig config, String path) {
    if (config.policies().isEmpty()) {
      throw new ConfigException(path + ".policies: at least one policy is required");
    }
    return new SamplingEngine(
        build(config.policies(), path + ".policies", true), config.sampleOnFirstMatch());
  }

  static List<Policy> build(List<PolicyConfig> configs, String path, boolean topLevel) {
    List<Policy> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < configs.size(); i++) {
      String at = path + "[" + i + "]";
      PolicyConfig c = configs.get(i);
      if (c == null) {
        throw new ConfigException(at + ": empty policy");
      }
      if (c.name() == null || c.name().isBlank()) {
        throw new ConfigException(at + ".name: every policy needs a name");
      }
      if (!names.add(c.name())) {
        throw new ConfigException(at + ".name: duplicate policy name '" + c.name() + "'");
      }
      out.add(build(c, at, topLevel));
    }
    return out;
  }

  private static Policy build(PolicyConfig c, String at, boolean topLevel) {
    String type = c.type();
    if (type == null) {
      throw new ConfigException(at + ".type: missing; one of " + TYPES);
    }
    String name = c.name();
    return switch (type) {
      case "always_sample" -> new Policies.AlwaysSample(name);
      case "latency" -> {
        var l = require(c.latency(), at, "latency");
        long lower = nonNegative(l.thresholdMs(), 0, at + ".latency.threshold_ms");
        long upper = nonNegative(l.upperThresholdMs(), 0, at + ".latency.upper_threshold_ms");
        if (upper != 0 && upper < lower) {
          throw new ConfigException(
              at + ".latency.upper_threshold_ms: must not be below threshold_ms");
        }
        yield new Policies.Latency(name, lower, upper);
      }
      case "numeric_attribute" -> {
        var n = require(c.numericAttribute(), at, "numeric_attribute");
        String key = key(n.key(), at + ".numeric_attribute.key");
        if (n.minValue() == null && n.maxValue() == null) {
          throw new ConfigException(at + ".numeric_attribute: set min_value, max_value or both");
        }
        long min = n.minValue() != null ? n.minValue() : Long.MIN_VALUE;
        long max = n.maxValue() != null ? n.maxValue() : Long.MAX_VALUE;
        if (max < min) {
          throw new ConfigException(
              at + ".numeric_attribute.max_value: must not be below min_value");
        }
        yield new Policies.NumericAttribute(
            name, key, min, max, Boolean.TRUE.equals(n.invertMatch()));
      }
      case "probabilistic" -> {
        var p = require(c.probabilistic(), at, "probabilistic");
        double pct = p.samplingPercentage() != null ? p.samplingPercentage() : 0;
        if (pct < 0 || pct > 100 || Double.isNaN(pct)) {
          throw new ConfigException(
              at + ".probabilistic.sampling_percentage: must be between 0 and 100, was " + pct);
        }
        String salt =
            p.hashSalt() != null && !p.hashSalt().isEmpty() ? p.hashSalt() : "default-hash-seed";
        yield new Policies.Probabilistic(name, salt, pct);
      }
      case "status_code" -> {
        var s = require(c.statusCode(), at, "status_code");
        if (s.statusCodes() == null || s.statusCodes().isEmpty()) {
          throw new ConfigException(
              at + ".status_code.status_codes: list at least one of OK, ERROR, UNSET");
        }
        Set<Status.StatusCode> codes = EnumSet.noneOf(Status.StatusCode.class);
        for (String code : s.statusCodes()) {
          codes.add(
              switch (code) {
                case "OK" -> Status.StatusCode.STATUS_CODE_OK;
                case "ERROR" -> Status.StatusCode.STATUS_CODE_ERROR;
                case "UNSET" -> Status.StatusCode.STATUS_CODE_UNSET;
                default ->
                    throw new ConfigException(
                        at
                            + ".status_code.status_codes: unknown status code '"
                            + code
                            + "'; use OK, ERROR or UNSET");
              });
        }
        yield new Policies.StatusCode(name, codes);
      }
      case "string_attribute" -> {
        var s = require(c.stringAttribute(), at, "string_attribute");
        String key = key(s.key(), at + ".string_attribute.key");
        if (s.values() == null || s.values().isEmpty()) {
          throw new ConfigException(at + ".string_attribute.values: list at least one value");
        }
        List<Pattern> patterns = new ArrayList<>();
        if (Boolean.TRUE.equals(s.enabledRegexMatching())) {
          for (int i = 0; i < s.values().size(); i++) {
            try {
              patterns.add(Pattern.compile(s.values().get(i)));
            } catch (PatternSyntaxException e) {
              throw new ConfigException(
                  at
                      + ".string_attribute.values["
                      + i
                      + "]: invalid regular expression: "
                      + e.getDescription());
            }
          }
        }
        yield new Policies.StringAttribute(
            name,
            key,
            new LinkedHashSet<>(s.values()),
            patterns,
            Boolean.TRUE.equals(s.invertMatch()));
      }
      case "rate_limiting" -> {
        var r = require(c.rateLimiting(), at, "rate_limiting");
        yield new Policies.RateLimiting(
            name, positive(r.spansPerSecond(), at + ".rate_limiting.spans_per_second"));
      }
      case "bytes_limiting" -> {
        var b = require(c.bytesLimiting(), at, "bytes_limiting");
        long rate = positive(b.bytesPerSecond(), at + ".bytes_limiting.bytes_per_second");
        long burst =
            b.burstCapacity() != null
                ? positive(b.burstCapacity(), at + ".bytes_limiting.burst_capacity")
                : 2 * rate;
        yield new Policies.BytesLimiting(name, rate, burst);
      }
      case "span_count" -> {
        var s = require(c.spanCount(), at, "span_count");
        int min =
            (int)
                nonNegative(
                    s.minSpans() == null ? null : (long) s.minSpans(),
                    0,
                    at + ".span_count.min_spans");
        int max =
            (int)
                nonNegative(
                    s.maxSpans() == null ? null : (long) s.maxSpans(),
                    0,
                    at + ".span_count.max_spans");
        if (max != 0 && max < min) {
          throw new ConfigException(at + ".span_count.max_spans: must not be below min_spans");
        }
        yield new Policies.SpanCount(name, min, max);
      }
      case "boolean_attribute" -> {
        var b = require(c.booleanAttribute(), at, "boolean_attribute");
        if (b.value() == null) {
          throw new ConfigException(at + ".boolean_attribute.value: set true or false");
        }
        yield new Policies.BooleanAttribute(
            name,
            key(b.key(), at + ".boolean_attribute.key"),
            b.value(),
            Boolean.TRUE.equals(b.invertMatch()));
      }
      case "trace_state" -> {
        var t = require(c.traceState(), at, "trace_state");
        if (t.values() == null || t.values().isEmpty()) {
          throw new ConfigException(at + ".trace_state.values: list at least one value");
        }
        yield new Policies.TraceState(
            name, key(t.key(), at + ".trace_state.key"), Set.copyOf(t.values()));
      }
      case "trace_flags" -> new Policies.TraceFlags(name);
      case "and" -> {
        var a = require(c.and(), at, "and");
        yield new Combinators.And(
            name,
            build(
                nonEmpty(a.andSubPolicy(), at + ".and.and_sub_policy"),
                at + ".and.and_sub_policy",
                false));
      }
      case "not" -> {
        var n = require(c.not(), at, "not");
        if (n.notSubPolicy() == null) {
          throw new ConfigException(at + ".not.not_sub_policy: required");
        }
        yield new Combinators.Not(
            name, build(List.of(n.notSubPolicy()), at + ".not.not_sub_policy", false).get(0));
      }
      case "drop" -> {
        if (!topLevel) {
          throw new ConfigException(at + ".type: drop is only allowed at the top level");
        }
        var d = require(c.drop(), at, "drop");
        yield new Combinators.Drop(
            name,
            build(
                nonEmpty(d.dropSubPolicy(), at + ".drop.drop_sub_policy"),
                at + ".drop.drop_sub_policy",
                false));
      }
      case "composite" -> composite(c, at);
      case "ottl_condition" ->
          throw new ConfigException(
              at
                  + ".type: ottl_condition is not supported by otelstream; express the condition with the other policy types");
      default ->
          throw new ConfigException(
              at + ".type: unknown policy type '" + type + "'; one of " + TYPES);
    };
  }

  private static Policy composite(PolicyConfig c, String at) {
    var comp = require(c.composite(), at, "composite");
    long max =
        positive(comp.maxTotalSpansPerSecond(), at + ".composite.max_total_spans_per_second");
    List<PolicyConfig> subs =
        nonEmpty(comp.compositeSubPolicy(), at + ".composite.composite_sub_policy");
    List<Policy> built = build(subs, at + ".composite.composite_sub_policy", false);
    Map<String, Policy> byName = new HashMap<>();
    built.forEach(p -> byName.put(p.name(), p));
    List<String> order =
        comp.policyOrder() != null && !comp.policyOrder().isEmpty()
            ? comp.policyOrder()
            : built.stream().map(Policy::name).toList();
    List<Policy> ordered = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Policy p = byName.get(order.get(i));
      if (p == null) {
        throw new ConfigException(
            at + ".composite.policy_order[" + i + "]: no sub-policy named '" + order.get(i) + "'");
      }
      ordered.add(p);
    }
    Map<String, Long> percent = new HashMap<>();
    long total = 0;
    List<TailSamplingConfig.RateAllocation> allocations =
        comp.rateAllocation() != null ? comp.rateAllocation() : List.of();
    for (int i = 0; i < allocations.size(); i++) {
      var a = allocations.get(i);
      if (a.policy() == null || !byName.containsKey(a.policy())) {
        throw new ConfigException(
            at
                + ".composite.rate_allocation["
                + i
                + "].policy: no sub-policy named '"
                + a.policy()
                + "'");
      }
      long pct = a.percent() != null ? a.percent() : 0;
      if (pct < 0 || pct > 100) {
        throw new ConfigException(
            at + ".composite.rate_allocation[" + i + "].percent: must be 0..100");
      }
      percent.put(a.policy(), pct);
      total += pct;
    }
    if (total > 100) {
      throw new ConfigException(
          at + ".composite.rate_allocation: percentages add up to " + total + ", more than 100");
    }
    long[] budgets = new long[ordered.size()];
    for (int i = 0; i < ordered.size(); i++) {
      Long pct = percent.get(ordered.get(i).name());
      // Without an allocation a sub-policy may use the whole budget (still capped per second).
      budgets[i] = pct != null ? max * pct / 100 : max;
    }
    return new Combinators.Composite(c.name(), ordered, budgets);
  }

  private static final List<String> TYPES =
      List.of(
          "always_sample",
          "latency",
          "numeric_attribute",
          "probabilistic",
          "status_code",
          "string_attribute",
          "rate_limiting",
          "bytes_limiting",
          "span_count",
          "boolean_attribute",
          "trace_state",
          "trace_flags",
          "and",
          "not",
          "drop",
          "composite");

  private static <T> T require(T section, String at, String key) {
    if (section == null) {
      throw new ConfigException(at + "." + key + ": required for a policy of type " + key);
    }
    return section;
  }

  private static <T> List<T> nonEmpty(List<T> list, String at) {
    if (list == null || list.isEmpty()) {
      throw new ConfigException(at + ": list at least one sub-policy");
    }
    return list;
  }

  private static String key(String key, String at) {
    if (key == null || key.isBlank()) {
      throw new ConfigException(at + ": required");
    }
    return key;
  }

  private static long positive(Long value, String at) {
    if (value == null || value < 1) {
      throw new ConfigException(at + ": must be at least 1, was " + value);
    }
    return value;
  }

  private static long nonNegative(Long value, long fallback, String at) {
    long v = value != null ? value : fallback;
    if (v < 0) {
      throw new ConfigException(at + ": must not be negative, was " + v);
    }
    return v;
  }
}
