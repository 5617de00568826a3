package io.otelstream.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a replay's bounds into offsets per partition ({@link PartitionWindow}), and refuses bounds
 * that cannot be replayed: an unknown topic, a time in the future, a time before what retention
 * kept, an offset outside the partition.
 */
public final class WindowResolver {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration FUTURE_SLACK = Duration.ofMinutes(1);

  private final Consumer<byte[], byte[]> consumer;
  private final Instant now;

  public WindowResolver(Consumer<byte[], byte[]> consumer, Instant now) {
    this.consumer = consumer;
    this.now = now;
  }

  /** The input topic's partitions; throws when the topic does not exist. */
  public List<TopicPartition> partitions(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new ReplayException(
          "topic "
              + topic
              + " does not exist (check --bootstrap-server and the topics prefix in --config)");
    }
    List<TopicPartition> out = new ArrayList<>();
    infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
    out.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
    return out;
  }

  /**
   * The window from {@code from} to {@code to} (null: the partitions' current ends) over every
   * partition of {@code topic}, with {@code wait} (decision_wait) of lead-in and tail.
   */
  public List<PartitionWindow> resolve(String topic, ReplayTime from, Instant to, Duration wait) {
    List<TopicPartition> tps = partitions(topic);
    if (from.time() != null) {
      requireNotFuture("--from", from.time());
    }
    if (to != null) {
      requireNotFuture("--to", to);
      if (from.time() != null && !to.isAfter(from.time())) {
        throw new ReplayException("--to " + to + " is not after --from " + from.time());
      }
    }
    if (from.isOffsets()) {
      for (Integer p : from.offsets().keySet()) {
        if (p < 0 || p >= tps.size()) {
          throw new ReplayException(
              "--from names partition "
                  + p
                  + "; "
                  + topic
                  + " has partitions 0-"
                  + (tps.size() - 1));
        }
      }
    }
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
    List<PartitionWindow> out = new ArrayList<>();
    for (TopicPartition tp : tps) {
      long first = begin.get(tp);
      long stopAtEnd = lastRecordEnd(tp, first, end.get(tp));
      long fromOffset;
      long fromTime;
      if (from.isOffsets()) {
        Long o = from.offsets().get(tp.partition());
        fromOffset = o == null ? stopAtEnd : o;
        if (fromOffset < first || fromOffset > end.get(tp)) {
          throw new ReplayException(
              "--from "
                  + tp.partition()
                  + ":"
                  + fromOffset
                  + " is outside "
                  + tp
                  + ", which holds offsets "
                  + first
                  + " to "
                  + end.get(tp)
                  + (fromOffset < first ? " (retention deleted the rest)" : ""));
        }
        fromTime = timestampAt(tp, fromOffset, stopAtEnd);
      } else {
        fromTime = from.time().toEpochMilli();
        requireRetained(tp, first, fromTime);
        fromOffset = offsetAtOrAfter(tp, fromTime, stopAtEnd);
      }
      long readFrom =
          fromTime < 0
              ? fromOffset
              : Math.max(first, offsetAtOrAfter(tp, fromTime - wait.toMillis(), fromOffset));
      readFrom = Math.min(readFrom, fromOffset);
      long toOffset = to == null ? stopAtEnd : offsetAtOrAfter(tp, to.toEpochMilli(), stopAtEnd);
      long stop =
          to == null
              ? stopAtEnd
              : offsetAtOrAfter(tp, to.toEpochMilli() + wait.toMillis() + 1000, stopAtEnd);
      out.add(
          new PartitionWindow(
              tp.partition(), readFrom, fromOffset, Math.max(fromOffset, toOffset), stop));
    }
    return out;
  }

  private void requireNotFuture(String flag, Instant t) {
    if (t.isAfter(now.plus(FUTURE_SLACK))) {
      throw new ReplayException(flag + " " + t + " is in the future (now is " + now + ")");
    }
  }

  /** A time before the oldest retained record of a partition whose start was deleted is refused. */
  private void requireRetained(TopicPartition tp, long first, long timeMs) {
    if (first == 0) {
      return; // nothing deleted yet: an earlier time only means "from the beginning"
    }
    OffsetAndTimestamp oldest = consumer.offsetsForTimes(Map.of(tp, 0L)).get(tp);
    if (oldest != null && timeMs < oldest.timestamp()) {
      throw new ReplayException(
          "--from "
              + Instant.ofEpochMilli(timeMs)
              + " is before the retention of "
              + tp
              + ": its oldest record is from "
              + Instant.ofEpochMilli(oldest.timestamp())
              + " (offset "
              + oldest.offset()
              + "); the spans before that are gone. Use a later --from");
    }
  }

  private long offsetAtOrAfter(TopicPartition tp, long timeMs, long otherwise) {
    OffsetAndTimestamp o = consumer.offsetsForTimes(Map.of(tp, Math.max(0, timeMs))).get(tp);
    return o == null ? otherwise : Math.min(o.offset(), otherwise);
  }

  /** The record time at {@code offset} (or the next record), -1 when none is there. */
  private long timestampAt(TopicPartition tp, long offset, long end) {
    if (offset >= end) {
      return -1;
    }
    List<ConsumerRecord<byte[], byte[]>> records = read(tp, offset, Math.min(end, offset + 1));
    return records.isEmpty() ? -1 : records.get(0).timestamp();
  }

  /**
   * One past the last data record before {@code end}: the end offset itself may follow a
   * transaction marker, which no consumer is ever handed, so a replay waiting for it would wait
   * forever.
   */
  private long lastRecordEnd(TopicPartition tp, long first, long end) {
    for (long back = 64; ; back *= 4) {
      long start = Math.max(first, end - back);
      List<ConsumerRecord<byte[], byte[]>> records = read(tp, start, end);
      if (!records.isEmpty()) {
        return records.get(records.size() - 1).offset() + 1;
      }
      if (start == first) {
        return first; // no data record at all
      }
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> read(TopicPartition tp, long from, long to) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    if (from >= to) {
      return out;
    }
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (consumer.position(tp) < to) {
      if (System.nanoTime() > deadline) {
        throw new ReplayException(
            "timed out reading " + tp + " at offset " + consumer.position(tp));
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(tp)) {
        if (r.offset() < to) {
          out.add(r);
        }
      }
    }
    consumer.assign(List.of());
    return out;
  }
}
