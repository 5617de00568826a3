package io.otelstream.streams.app;

import io.otelstream.streams.traces.InputEnd;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End offsets of the input partitions as the main consumer last fetched them, from the task
 * metadata Kafka Streams keeps; read at most once a second for all partitions together.
 */
final class FetchedEndOffsets implements InputEnd {
  private static final long REFRESH_MS = 1000;

  private volatile KafkaStreams streams;
  private volatile Map<TopicPartition, Long> ends = Map.of();
  private volatile long readAtMs;

  void attach(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public long endOffset(TopicPartition partition) {
    long now = System.currentTimeMillis();
    if (now - readAtMs >= REFRESH_MS) {
      refresh();
      readAtMs = now;
    }
    return ends.getOrDefault(partition, -1L);
  }

  private synchronized void refresh() {
    KafkaStreams s = streams;
    if (s == null) {
      return;
    }
    Map<TopicPartition, Long> out = new java.util.HashMap<>();
    s.metadataForLocalThreads()
        .forEach(t -> t.activeTasks().forEach(task -> out.putAll(task.endOffsets())));
    ends = out;
  }
}
