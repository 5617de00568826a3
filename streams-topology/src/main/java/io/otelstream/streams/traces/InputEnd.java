package io.otelstream.streams.traces;

import org.apache.kafka.common.TopicPartition;

/**
 * Whether an input partition is processed to its end. The wall-clock release of traces is for
 * partitions that are truly idle: every record written up to now processed. A partition with
 * records still to read or still buffered (after a restart, a rebalance, a stall, in a replay) must
 * not have its time pushed past traces whose spans are in that backlog.
 */
@FunctionalInterface
public interface InputEnd {
  /** Always at the end: for TopologyTestDriver, which has no consumer. */
  InputEnd NONE = (partition, next, sinceMs) -> true;

  /**
   * Never known, so wall-clock time never releases a trace: for a replay, whose traces are released
   * by record time and, at each partition's end, all at once (deterministic whatever the timing).
   */
  InputEnd UNKNOWN = (partition, next, sinceMs) -> false;

  /**
   * True when {@code next} is the partition's end as the broker knew it at some moment at or after
   * {@code sinceMs}: nothing was written there that this task has not processed. False when there
   * is more, or when no answer that recent is known yet (implementations may ask in the background
   * and answer on a later call).
   */
  boolean caughtUp(TopicPartition partition, long next, long sinceMs);
}
