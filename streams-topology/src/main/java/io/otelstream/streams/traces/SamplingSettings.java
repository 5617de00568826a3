package io.otelstream.streams.traces;

import io.otelstream.streams.sampling.TailSamplingConfig;
import java.time.Duration;

/**
 * The values the processor needs, resolved from configuration; {@code inFlightHeap} is the one
 * budget all tasks of the instance share; {@code maxClockSkew} bounds record times (zero: not
 * bounded, for replays and tests that drive time themselves).
 */
public record SamplingSettings(
    Duration decisionWait,
    long numTraces,
    int maxSpansPerTrace,
    long maxBytesPerTrace,
    Duration decisionCacheTtl,
    boolean policyAttribute,
    int maxRecordBytes,
    InFlightHeap inFlightHeap,
    Duration maxClockSkew) {

  public static SamplingSettings from(
      TailSamplingConfig c, int maxRecordBytes, InFlightHeap inFlightHeap) {
    return new SamplingSettings(
        c.decisionWait(),
        c.numTraces(),
        c.maxSpansPerTrace(),
        c.maxBytesPerTrace().bytes(),
        c.decisionCache().ttl(),
        c.policyAttribute(),
        maxRecordBytes,
        inFlightHeap,
        Duration.ZERO);
  }

  /** These settings with record times bounded by {@code skew} (see TailSamplingProcessor). */
  public SamplingSettings withMaxClockSkew(Duration skew) {
    return new SamplingSettings(
        decisionWait,
        numTraces,
        maxSpansPerTrace,
        maxBytesPerTrace,
        decisionCacheTtl,
        policyAttribute,
        maxRecordBytes,
        inFlightHeap,
        skew);
  }
}
