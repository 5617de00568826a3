package io.otelstream.streams.sampling;

/** A policy's vote on one trace, as the Collector's tail_sampling processor names them. */
public enum Decision {
  SAMPLED,
  NOT_SAMPLED,
  DROPPED,
  INVERT_SAMPLED,
  INVERT_NOT_SAMPLED,
  /** The policy failed on this trace; it casts no vote. */
  ERROR
}
