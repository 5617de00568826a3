package io.otelstream.streams.traces;

import org.apache.kafka.common.TopicPartition;

/**
 * How far this instance's consumer is behind the end of an input partition. The wall-clock release
 * of traces is for partitions that are truly idle; a partition with records still to read (after a
 * restart, a rebalance, a stall) must not have its time pushed past traces whose spans are waiting
 * in that backlog.
 */
@FunctionalInterface
public interface InputLag {
  /** Always caught up: for TopologyTestDriver, which has no consumer. */
  InputLag NONE = partition -> 0;

  /** Records behind the end of {@code partition}, or a negative number when not known yet. */
  long of(TopicPartition partition);
}
