package io.otelstream.streams.sampling;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Collector's {@code tail_sampling} processor configuration, so users can paste theirs, plus
 * otelstream's bounds. Omitted values take the defaults in the module README.
 *
 * @param decisionWait time from a trace's first span (record time) to its decision (default 30s)
 * @param numTraces traces in flight per instance before the oldest is decided early (default 50000)
 * @param expectedNewTracesPerSec accepted for compatibility, ignored
 * @param decisionCache how decided trace IDs are remembered for late spans
 * @param sampleOnFirstMatch stop evaluating at the first policy that samples (default false)
 * @param maxSpansPerTrace a trace reaching this many spans is decided early (default 10000)
 * @param maxBytesPerTrace a trace reaching this many bytes is decided early (default 16MiB)
 * @param policyAttribute add {@code tailsampling.policy} to kept spans (default false)
 * @param policies the policies, in the Collector's shape
 */
public record TailSamplingConfig(
    Duration decisionWait,
    Long numTraces,
    Long expectedNewTracesPerSec,
    DecisionCache decisionCache,
    Boolean sampleOnFirstMatch,
    Integer maxSpansPerTrace,
    io.otelstream.config.ByteSize maxBytesPerTrace,
    Boolean policyAttribute,
    List<PolicyConfig> policies) {

  public TailSamplingConfig {
    decisionWait = decisionWait != null ? decisionWait : Duration.ofSeconds(30);
    numTraces = numTraces != null ? numTraces : 50_000L;
    decisionCache = decisionCache != null ? decisionCache : new DecisionCache(null, null, null);
    sampleOnFirstMatch = sampleOnFirstMatch != null && sampleOnFirstMatch;
    maxSpansPerTrace = maxSpansPerTrace != null ? maxSpansPerTrace : 10_000;
    maxBytesPerTrace =
        maxBytesPerTrace != null ? maxBytesPerTrace : io.otelstream.config.ByteSize.ofMebibytes(16);
    policyAttribute = policyAttribute != null && policyAttribute;
    policies = policies != null ? List.copyOf(policies) : List.of();
    if (decisionWait.isNegative() || decisionWait.isZero()) {
      throw new IllegalArgumentException("decision_wait must be positive");
    }
    if (numTraces < 1) {
      throw new IllegalArgumentException("num_traces must be at least 1");
    }
    if (maxSpansPerTrace < 1) {
      throw new IllegalArgumentException("max_spans_per_trace must be at least 1");
    }
  }

  /**
   * @param sampledCacheSize accepted for compatibility; the cache is bounded by {@code ttl}
   * @param nonSampledCacheSize accepted for compatibility
   * @param ttl how long a decision is remembered for late spans (default 5m)
   */
  public record DecisionCache(Long sampledCacheSize, Long nonSampledCacheSize, Duration ttl) {
    public DecisionCache {
      ttl = ttl != null ? ttl : Duration.ofMinutes(5);
    }
  }

  /** One policy: a name, a type and the section for that type. */
  public record PolicyConfig(
      String name,
      String type,
      Latency latency,
      NumericAttribute numericAttribute,
      Probabilistic probabilistic,
      StatusCode statusCode,
      StringAttribute stringAttribute,
      RateLimiting rateLimiting,
      BytesLimiting bytesLimiting,
      SpanCount spanCount,
      BooleanAttribute booleanAttribute,
      TraceState traceState,
      Map<String, Object> traceFlags,
      Map<String, Object> alwaysSample,
      And and,
      Not not,
      Drop drop,
      Composite composite,
      Map<String, Object> ottlCondition) {}

  public record Latency(Long thresholdMs, Long upperThresholdMs) {}

  public record NumericAttribute(String key, Long minValue, Long maxValue, Boolean invertMatch) {}

  public record Probabilistic(String hashSalt, Double samplingPercentage) {}

  public record StatusCode(List<String> statusCodes) {}

  public record StringAttribute(
      String key,
      List<String> values,
      Boolean enabledRegexMatching,
      Integer cacheMaxSize,
      Boolean invertMatch) {}

  public record RateLimiting(Long spansPerSecond) {}

  public record BytesLimiting(Long bytesPerSecond, Long burstCapacity) {}

  public record SpanCount(Integer minSpans, Integer maxSpans) {}

  public record BooleanAttribute(String key, Boolean value, Boolean invertMatch) {}

  public record TraceState(String key, List<String> values) {}

  public record And(List<PolicyConfig> andSubPolicy) {}

  public record Not(PolicyConfig notSubPolicy) {}

  public record Drop(List<PolicyConfig> dropSubPolicy) {}

  public record Composite(
      Long maxTotalSpansPerSecond,
      List<String> policyOrder,
      List<PolicyConfig> compositeSubPolicy,
      List<RateAllocation> rateAllocation) {}

  public record RateAllocation(String policy, Long percent) {}
}
