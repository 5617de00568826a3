package io.otelstream.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offsets a consumer skipped because retention deleted them before they were read. A consumer whose
 * position falls below a partition's log start resets to the earliest offset and says nothing; this
 * watches the offsets it is handed instead. A partition's first record is compared with the group's
 * committed offset, every later record with the one before it; a jump of more than one offset (one
 * is a transaction marker) is checked against the broker's log start offset, and the offsets below
 * it that were never read are the loss. Gaps left by aborted transactions are never counted unless
 * retention has also deleted them when checked. Checks are synchronous and rare: one per partition
 * assignment, one per real gap.
 */
public final class RetentionGaps implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionGaps.class);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final String group;
  private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

  /**
   * @param clientConfigs Kafka client settings (bootstrap, security); what an Admin client does not
   *     know is ignored
   * @param group the consumer group whose committed offsets a partition's first record follows
   */
  public RetentionGaps(Map<String, ?> clientConfigs, String group, String clientId) {
    Map<String, Object> c = new HashMap<>();
    Set<String> known = AdminClientConfig.configNames();
    clientConfigs.forEach(
        (k, v) -> {
          if (known.contains(k)) {
            c.put(k, v);
          }
        });
    c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    this.admin = Admin.create(c);
    this.group = group;
  }

  /**
   * Notes that the consumer was handed {@code offset} of {@code partition}, and returns how many
   * offsets before it retention deleted unread (0 almost always).
   */
  public long read(TopicPartition partition, long offset) {
    Long expected = next.put(partition, offset + 1);
    if (expected != null && offset - expected <= 1) {
      return 0; // the next offset, or one transaction marker before it
    }
    try {
      long from = expected != null ? expected : committed(partition);
      if (from < 0 || offset - from <= 1) {
        return 0;
      }
      long logStart = logStart(partition);
      return Math.max(0, Math.min(logStart, offset) - from);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "could not check {} for offsets lost to retention before offset {}: {}",
          partition,
          offset,
          e.toString());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The partition moved to another consumer: its next first record is compared afresh. */
  public void forget(TopicPartition partition) {
    next.remove(partition);
  }

  private long committed(TopicPartition partition)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(
                Map.of(
                    group, new ListConsumerGroupOffsetsSpec().topicPartitions(Set.of(partition))),
                new ListConsumerGroupOffsetsOptions().requireStable(true))
            .partitionsToOffsetAndMetadata(group)
            .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    OffsetAndMetadata committed = offsets.get(partition);
    return committed == null ? -1 : committed.offset();
  }

  private long logStart(TopicPartition partition)
      throws ExecutionException, InterruptedException, TimeoutException {
    return admin
        .listOffsets(Map.of(partition, OffsetSpec.earliest()))
        .partitionResult(partition)
        .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .offset();
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
