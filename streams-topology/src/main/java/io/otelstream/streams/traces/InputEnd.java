package io.otelstream.streams.traces;

import org.apache.kafka.common.TopicPartition;

/**
 * Where the input partition ends, as this instance's consumer last saw it. The wall-clock release
 * of traces is for partitions that are truly idle: every record up to the end processed. A
 * partition with records still to read or still buffered (after a restart, a rebalance, a stall, in
 * a replay) must not have its time pushed past traces whose spans are in that backlog.
 */
@FunctionalInterface
public interface InputEnd {
  /** Always at the end: for TopologyTestDriver, which has no consumer. */
  InputEnd NONE = partition -> 0;

  /**
   * Never known, so wall-clock time never releases a trace: for a replay, whose traces are released
   * by record time and, at each partition's end, all at once (deterministic whatever the timing).
   */
  InputEnd UNKNOWN = partition -> -1;

  /** The partition's end offset as last fetched, or a negative number when not known yet. */
  long endOffset(TopicPartition partition);
}
