package io.otelstream.streams.traces;

import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.sampling.TraceData;

/**
 * What a run of {@link TailSamplingProcessor} is for: live processing (every method's default) or a
 * replay over a bounded window of the input (otelstream replay), which runs the very same processor
 * with these hooks: where each partition stops, which traces it decides, where kept spans go, and
 * what it reports.
 */
public interface SamplingRun {
  /** Live processing: no end, every trace decided, output to the topology's sinks. */
  SamplingRun LIVE = new SamplingRun() {};

  /**
   * The input offset at which a partition's processing ends: on reaching it the partition's traces
   * are all decided and {@link #finished} is called. Live: never.
   */
  default long stopOffset(int partition) {
    return Long.MAX_VALUE;
  }

  /**
   * Whether a trace whose first record is at {@code firstOffset} is decided. A trace outside (one
   * that started before a replay's window, read only so that its later spans are not taken for a
   * new trace) is dropped without a policy, an output or a count.
   */
  default boolean decides(int partition, long firstOffset) {
    return true;
  }

  /** A record at {@code offset} was processed. */
  default void processed(int partition, long offset) {}

  /** A trace was decided by the policies. */
  default void decided(TraceData trace, SamplingEngine.Outcome outcome) {}

  /** A late record of a kept trace was kept. */
  default void lateKept(int spans, long bytes, String policy) {}

  /** The partition reached its stop offset and all its traces were decided. */
  default void finished(int partition) {}

  /** The child that kept spans are forwarded to; null forwards nothing (a preview). */
  default String sampledSink() {
    return TailSamplingProcessor.SINK;
  }

  /** The child that unreadable records are forwarded to; null forwards nothing (a preview). */
  default String deadLetterSink() {
    return DeadLetters.SINK;
  }

  /** Whether the sampler's stores have changelogs (live) or not (a replay keeps nothing). */
  default boolean changelogged() {
    return true;
  }

  /** Appended to the store names, so that two samplers can share one topology. */
  default String storeSuffix() {
    return "";
  }
}
