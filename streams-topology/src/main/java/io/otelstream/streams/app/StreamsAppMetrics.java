package io.otelstream.streams.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.schemas.metrics.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;

/**
 * What an operator watches beside the sampling counters: records behind per input topic, whether
 * the app is ready, and the local state's disk use (RocksDB grows with traces in flight).
 */
final class StreamsAppMetrics {
  /** Walking the state directory costs a stat per file: done at most this often. */
  private static final long DISK_WALK_INTERVAL_MS = 15_000;

  private final KafkaStreams streams;
  private final Path stateDir;
  private long walkedAt;
  private double usedBytes;
  private final java.util.concurrent.atomic.AtomicInteger restoring =
      new java.util.concurrent.atomic.AtomicInteger();
  private io.micrometer.core.instrument.Counter restored;

  StreamsAppMetrics(KafkaStreams streams, Path stateDir) {
    this.streams = streams;
    this.stateDir = stateDir;
  }

  /**
   * Counts what Kafka Streams restores from changelogs (the decision cache and the partition
   * watermarks) at start and after a task moves; install before the app starts.
   */
  org.apache.kafka.streams.processor.StateRestoreListener restoreListener() {
    return new org.apache.kafka.streams.processor.StateRestoreListener() {
      @Override
      public void onRestoreStart(
          org.apache.kafka.common.TopicPartition partition, String store, long start, long end) {
        restoring.incrementAndGet();
      }

      @Override
      public void onBatchRestored(
          org.apache.kafka.common.TopicPartition partition, String store, long end, long n) {
        if (restored != null) {
          restored.increment(n);
        }
      }

      @Override
      public void onRestoreEnd(
          org.apache.kafka.common.TopicPartition partition, String store, long total) {
        restoring.decrementAndGet();
      }

      @Override
      public void onRestoreSuspended(
          org.apache.kafka.common.TopicPartition partition, String store, long total) {
        restoring.decrementAndGet();
      }
    };
  }

  void bindTo(MeterRegistry registry, Collection<String> inputTopics) {
    restored =
        io.micrometer.core.instrument.Counter.builder(MetricNames.STREAMS_RESTORE_RECORDS.name())
            .description(
                "Changelog records restored into state stores (decision cache, watermarks)")
            .register(registry);
    Gauge.builder(MetricNames.STREAMS_RESTORING_PARTITIONS.name(), restoring, Number::doubleValue)
        .description("Changelog partitions being restored right now")
        .strongReference(true)
        .register(registry);
    for (String topic : inputTopics) {
      Gauge.builder(MetricNames.STREAMS_INPUT_LAG_RECORDS.name(), this, m -> m.lag(topic))
          .description(
              "Records of the input topic not yet committed by this instance's active tasks")
          .tag("topic", topic)
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder(
            MetricNames.STREAMS_READY.name(),
            this,
            m -> m.streams.state() == KafkaStreams.State.RUNNING ? 1 : 0)
        .description("1 while /health/ready answers 200 (every task rebuilt and running)")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            MetricNames.STREAMS_STATE_DISK_USED_BYTES.name(), this, StreamsAppMetrics::usedBytes)
        .description("Bytes under the state directory (RocksDB of in-flight traces and decisions)")
        .strongReference(true)
        .register(registry);
    Gauge.builder(MetricNames.STREAMS_STATE_DISK_FREE_BYTES.name(), this, m -> m.store(true))
        .description("Bytes free to this process on the state directory's file system")
        .strongReference(true)
        .register(registry);
    Gauge.builder(MetricNames.STREAMS_STATE_DISK_SIZE_BYTES.name(), this, m -> m.store(false))
        .description("Size of the state directory's file system")
        .strongReference(true)
        .register(registry);
  }

  /** Sum over this instance's active partitions of {@code topic}: end offset minus committed. */
  private double lag(String topic) {
    long lag = 0;
    for (var thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        for (var tp : task.topicPartitions()) {
          if (!tp.topic().equals(topic)) {
            continue;
          }
          Long end = task.endOffsets().get(tp);
          Long committed = task.committedOffsets().get(tp);
          if (end != null && end >= 0) {
            lag += Math.max(0, end - (committed == null || committed < 0 ? 0 : committed));
          }
        }
      }
    }
    return lag;
  }

  private synchronized double usedBytes() {
    long now = System.currentTimeMillis();
    if (now - walkedAt >= DISK_WALK_INTERVAL_MS) {
      walkedAt = now;
      usedBytes = walk();
    }
    return usedBytes;
  }

  private double walk() {
    if (!Files.isDirectory(stateDir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      return files.mapToLong(StreamsAppMetrics::sizeOf).sum();
    } catch (IOException | UncheckedIOException e) {
      return Double.NaN; // a store was closed while walking; the next scrape walks again
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0; // deleted between listing and stat (compaction)
    }
  }

  private double store(boolean free) {
    try {
      Path existing = stateDir;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return Double.NaN;
      }
      FileStore fs = Files.getFileStore(existing);
      return free ? fs.getUsableSpace() : fs.getTotalSpace();
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
