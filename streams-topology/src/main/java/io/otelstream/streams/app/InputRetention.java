package io.otelstream.streams.app;

import org.apache.kafka.common.TopicPartition;

/** Where the app reports the input offsets it reads, to count those retention deleted unread. */
public interface InputRetention {
  /** For topologies without a broker (TopologyTestDriver): nothing is checked. */
  InputRetention NONE =
      new InputRetention() {
        @Override
        public void read(TopicPartition partition, long offset) {}

        @Override
        public void forget(TopicPartition partition) {}
      };

  /** A record of {@code partition} at {@code offset} is being processed. */
  void read(TopicPartition partition, long offset);

  /** The partition's task closed (it may move to another instance). */
  void forget(TopicPartition partition);
}
