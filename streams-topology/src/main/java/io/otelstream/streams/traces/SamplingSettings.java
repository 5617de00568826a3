package io.otelstream.streams.traces;

import io.otelstream.streams.sampling.TailSamplingConfig;
import java.time.Duration;

/**
 * The values the processor needs, resolved from configuration; {@code inFlightHeap} is the one
 * budget all tasks of the instance share.
 */
public record SamplingSettings(
    Duration decisionWait,
    long numTraces,
    int maxSpansPerTrace,
    long maxBytesPerTrace,
    Duration decisionCacheTtl,
    boolean policyAttribute,
    int maxRecordBytes,
    InFlightHeap inFlightHeap) {

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
        inFlightHeap);
  }
}
