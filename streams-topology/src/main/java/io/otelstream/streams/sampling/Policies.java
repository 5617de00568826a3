package io.otelstream.streams.sampling;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The leaf policy types of the Collector's tail_sampling processor. */
final class Policies {
  private Policies() {}

  record AlwaysSample(String name) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      return Decision.SAMPLED;
    }
  }

  /**
   * Trace duration = latest span end − earliest span start, exactly as the Collector evaluates it:
   * span by span in arrival order with a running earliest start and latest end (unsigned
   * nanoseconds, 0 meaning unset), the duration taken as Go's {@code AsTime().Sub} does (signed,
   * saturating instead of overflowing) and truncated to milliseconds; the first span at which the
   * condition holds decides. Without an upper threshold: duration ≥ threshold; with one: threshold
   * < duration ≤ upper. Reversed or out-of-range times therefore decide as in the Collector.
   */
  record Latency(String name, long thresholdMs, long upperThresholdMs) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      long min = 0;
      long max = 0;
      for (TraceData.SpanWithResource s : trace.spans()) {
        long start = s.span().getStartTimeUnixNano();
        long end = s.span().getEndTimeUnixNano();
        if (min == 0 || Long.compareUnsigned(start, min) < 0) {
          min = start;
        }
        if (max == 0 || Long.compareUnsigned(end, max) > 0) {
          max = end;
        }
        long ms = saturatingSubtract(max, min) / 1_000_000L;
        boolean match =
            upperThresholdMs == 0 ? ms >= thresholdMs : thresholdMs < ms && ms <= upperThresholdMs;
        if (match) {
          return Decision.SAMPLED;
        }
      }
      return Decision.NOT_SAMPLED;
    }

    /** a − b on signed nanoseconds, clamped to the long range as Go's Time.Sub clamps. */
    static long saturatingSubtract(long a, long b) {
      long d = a - b;
      // overflow when a and b have different signs and the result's sign differs from a's
      if (((a ^ b) & (a ^ d)) < 0) {
        return a >= 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
      }
      return d;
    }
  }

  record NumericAttribute(String name, String key, long min, long max, boolean invert)
      implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      boolean match =
          trace.anyAttribute(
              key,
              v ->
                  v.getValueCase() == AnyValue.ValueCase.INT_VALUE
                      && v.getIntValue() >= min
                      && v.getIntValue() <= max);
      return vote(match, invert);
    }
  }

  record StringAttribute(
      String name, String key, Set<String> values, List<Pattern> patterns, boolean invert)
      implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      boolean match =
          trace.anyAttribute(
              key,
              v ->
                  v.getValueCase() == AnyValue.ValueCase.STRING_VALUE
                      && matches(v.getStringValue()));
      return vote(match, invert);
    }

    private boolean matches(String s) {
      if (patterns.isEmpty()) {
        return values.contains(s);
      }
      for (Pattern p : patterns) {
        if (p.matcher(s).find()) {
          return true;
        }
      }
      return false;
    }
  }

  record BooleanAttribute(String name, String key, boolean value, boolean invert)
      implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      boolean match =
          trace.anyAttribute(
              key,
              v -> v.getValueCase() == AnyValue.ValueCase.BOOL_VALUE && v.getBoolValue() == value);
      return vote(match, invert);
    }
  }

  record StatusCode(String name, Set<Status.StatusCode> codes) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      return trace.anyStatus(codes) ? Decision.SAMPLED : Decision.NOT_SAMPLED;
    }
  }

  record SpanCount(String name, int minSpans, int maxSpans) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      int n = trace.spanCount();
      return n >= minSpans && (maxSpans == 0 || n <= maxSpans)
          ? Decision.SAMPLED
          : Decision.NOT_SAMPLED;
    }
  }

  /** W3C tracestate entries {@code key=value} on any span. */
  record TraceState(String name, String key, Set<String> values) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      for (TraceData.SpanWithResource s : trace.spans()) {
        for (String member : s.span().getTraceState().split(",")) {
          int eq = member.indexOf('=');
          if (eq > 0
              && member.substring(0, eq).trim().equals(key)
              && values.contains(member.substring(eq + 1).trim())) {
            return Decision.SAMPLED;
          }
        }
      }
      return Decision.NOT_SAMPLED;
    }
  }

  /** Samples traces where any span carries the W3C sampled flag (bit 0 of span flags). */
  record TraceFlags(String name) implements Policy {
    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      for (TraceData.SpanWithResource s : trace.spans()) {
        if ((s.span().getFlags() & 0x01) != 0) {
          return Decision.SAMPLED;
        }
      }
      return Decision.NOT_SAMPLED;
    }
  }

  /** At most {@code spansPerSecond} spans in traces sampled within each second of stream time. */
  static final class RateLimiting implements Policy {
    private final String name;
    private final long spansPerSecond;
    private long second = Long.MIN_VALUE;
    private long spansThisSecond;

    RateLimiting(String name, long spansPerSecond) {
      this.name = name;
      this.spansPerSecond = spansPerSecond;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      long s = Math.floorDiv(nowMillis, 1000);
      if (s != second) {
        second = s;
        spansThisSecond = 0;
      }
      if (spansThisSecond + trace.spanCount() <= spansPerSecond) {
        spansThisSecond += trace.spanCount();
        return Decision.SAMPLED;
      }
      return Decision.NOT_SAMPLED;
    }
  }

  /** Token bucket over encoded trace bytes, refilled at {@code bytesPerSecond}. */
  static final class BytesLimiting implements Policy {
    private final String name;
    private final long bytesPerSecond;
    private final long burstCapacity;
    private double tokens;
    private long lastMillis = Long.MIN_VALUE;

    BytesLimiting(String name, long bytesPerSecond, long burstCapacity) {
      this.name = name;
      this.bytesPerSecond = bytesPerSecond;
      this.burstCapacity = burstCapacity;
      this.tokens = burstCapacity;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      if (lastMillis != Long.MIN_VALUE && nowMillis > lastMillis) {
        tokens =
            Math.min(burstCapacity, tokens + (nowMillis - lastMillis) * bytesPerSecond / 1000.0);
      }
      lastMillis = Math.max(lastMillis, nowMillis);
      if (tokens >= trace.encodedBytes()) {
        tokens -= trace.encodedBytes();
        return Decision.SAMPLED;
      }
      return Decision.NOT_SAMPLED;
    }
  }

  /** Probabilistic: FNV-1a 64 over salt then trace ID, compared unsigned with the threshold. */
  static final class Probabilistic implements Policy {
    private final String name;
    private final byte[] salt;
    private final long threshold;
    private final boolean all;

    Probabilistic(String name, String salt, double percentage) {
      this.name = name;
      this.salt = salt.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      this.all = percentage >= 100;
      this.threshold = threshold(percentage);
    }

    /** ⌊(2⁶⁴−1) × percentage / 100⌋ as an unsigned 64-bit value. */
    static long threshold(double percentage) {
      java.math.BigDecimal max =
          new java.math.BigDecimal(new java.math.BigInteger("FFFFFFFFFFFFFFFF", 16));
      java.math.BigInteger t =
          max.multiply(java.math.BigDecimal.valueOf(percentage))
              .divide(java.math.BigDecimal.valueOf(100), 0, java.math.RoundingMode.FLOOR)
              .toBigInteger();
      return t.longValue();
    }

    static long fnv1a64(byte[] salt, byte[] traceId) {
      long hash = 0xcbf29ce484222325L;
      for (byte b : salt) {
        hash ^= b & 0xff;
        hash *= 0x100000001b3L;
      }
      for (byte b : traceId) {
        hash ^= b & 0xff;
        hash *= 0x100000001b3L;
      }
      return hash;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Decision evaluate(TraceData trace, long nowMillis) {
      if (all) {
        return Decision.SAMPLED;
      }
      return Long.compareUnsigned(fnv1a64(salt, trace.traceId()), threshold) <= 0
          ? Decision.SAMPLED
          : Decision.NOT_SAMPLED;
    }
  }

  private static Decision vote(boolean match, boolean invert) {
    if (invert) {
      return match ? Decision.INVERT_NOT_SAMPLED : Decision.INVERT_SAMPLED;
    }
    return match ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }
}
