package io.otelstream.streams.traces;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Re-reads one input partition between two offsets with a consumer of its own (read_committed, no
 * group), handing every record to the caller. This is how a task rebuilds its in-flight traces
 * after a crash, restart, task move or rescale, and the mechanism replay from an offset uses.
 */
public final class InputRebuilder {
  /** The Streams property holding max_rebuild in milliseconds (the app's config sets it). */
  public static final String MAX_REBUILD_CONFIG = "otelstream.max.rebuild.ms";

  /** The rebuild bound where no configuration gives one. */
  public static final Duration DEFAULT_MAX_REBUILD = Duration.ofMinutes(5);

  /** max_rebuild as the app's Streams configuration holds it. */
  public static Duration maxRebuild(Map<String, ?> appConfigs) {
    Object v = appConfigs.get(MAX_REBUILD_CONFIG);
    return v == null ? DEFAULT_MAX_REBUILD : Duration.ofMillis(Long.parseLong(v.toString()));
  }

  private final Map<String, Object> consumerConfig;

  /**
   * What one rebuild read; {@code maxTimestampMs} is the largest record timestamp read (the
   * partition's stream time at the resume point), -1 when nothing was read.
   */
  public record Result(
      long records, long lostOffsets, long millis, long maxTimestampMs, long unreadOffsets) {}

  /**
   * @param clientConfigs Kafka client settings (bootstrap, security); anything else is ignored
   * @param clientId names the consumer in broker logs and metrics
   */
  public InputRebuilder(Map<String, ?> clientConfigs, String clientId) {
    Map<String, Object> c = new HashMap<>();
    clientConfigs.forEach(
        (k, v) -> {
          if (ConsumerConfig.configNames().contains(k)) {
            c.put(k, v);
          }
        });
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumerConfig = c;
  }

  /**
   * The offset {@code group} committed for {@code partition} (where its processing resumes), or -1
   * when it has none. Waits for a pending transactional commit to resolve, so under exactly-once
   * this is the offset of the last committed transaction.
   */
  public long committed(TopicPartition partition, String group) {
    Map<String, Object> c = new HashMap<>(consumerConfig);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      var committed = consumer.committed(java.util.Set.of(partition), Duration.ofMinutes(1));
      var offset = committed.get(partition);
      return offset == null ? -1 : offset.offset();
    }
  }

  /**
   * Reads {@code [from, to)} of {@code partition}, for at most {@code limit}. Offsets already
   * deleted by retention cannot be read; their count is returned as {@code lostOffsets}, and the
   * offsets left when the limit passed as {@code unreadOffsets}, for the caller to report.
   */
  public Result read(
      TopicPartition partition,
      long from,
      long to,
      Consumer<ConsumerRecord<byte[], byte[]>> sink,
      Duration limit) {
    long started = System.nanoTime();
    long records = 0;
    long maxTimestamp = -1;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.assign(List.of(partition));
      long earliest = consumer.beginningOffsets(List.of(partition)).get(partition);
      long start = Math.max(from, earliest);
      long lost = Math.max(0, Math.min(to, earliest) - from);
      consumer.seek(partition, start);
      long deadline = System.nanoTime() + limit.toNanos();
      long unread = 0;
      while (start < to && consumer.position(partition) < to) {
        if (System.nanoTime() > deadline) {
          unread = to - consumer.position(partition);
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() >= to) {
            break;
          }
          sink.accept(r);
          records++;
          maxTimestamp = Math.max(maxTimestamp, r.timestamp());
        }
      }
      return new Result(
          records,
          lost,
          Duration.ofNanos(System.nanoTime() - started).toMillis(),
          maxTimestamp,
          unread);
    }
  }
}
