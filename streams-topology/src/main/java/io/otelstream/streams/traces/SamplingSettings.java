package io.otelstream.streams.traces;

import io.otelstream.streams.sampling.TailSamplingConfig;
import java.time.Duration;

/** The values the processor needs, resolved from configuration. */
public record SamplingSettings(
    Duration decisionWait,
    long numTraces,
    int maxSpansPerTrace,
    long maxBytesPerTrace,
    Duration decisionCacheTtl,
    boolean policyAttribute,
    int maxRecordBytes) {

  public static SamplingSettings from(TailSamplingConfig c, int maxRecordBytes) {
    return new SamplingSettings(
        c.decisionWait(),
        c.numTraces(),
        c.maxSpansPerTrace(),
        c.maxBytesPerTrace().bytes(),
        c.decisionCache().ttl(),
        c.policyAttribute(),
        maxRecordBytes);
  }
}
