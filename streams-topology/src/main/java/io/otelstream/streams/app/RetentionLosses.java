package io.otelstream.streams.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.schemas.metrics.MetricNames;
import io.otelstream.topics.RetentionGaps;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts input records retention deleted before the app read them: Kafka Streams resets a position
 * below the log start to the earliest offset without a word. Counted in {@code
 * otelstream_streams_records_lost_to_retention_total{topic,partition}} and logged as an ERROR. A
 * rebuild's own losses (before the committed offset) are {@code rebuild_lost_offsets}; these are
 * the ones after it.
 */
final class RetentionLosses implements InputRetention, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionLosses.class);
  private final RetentionGaps gaps;
  private final MeterRegistry registry;

  RetentionLosses(Map<String, ?> clientConfigs, String applicationId, MeterRegistry registry) {
    this.gaps = new RetentionGaps(clientConfigs, applicationId, applicationId + "-retention-check");
    this.registry = registry;
  }

  @Override
  public void read(TopicPartition partition, long offset) {
    long lost = gaps.read(partition, offset);
    if (lost > 0) {
      Counter.builder(MetricNames.STREAMS_RECORDS_LOST_TO_RETENTION.name())
          .description("Input offsets retention deleted before the app read them (records lost)")
          .tag("topic", partition.topic())
          .tag("partition", Integer.toString(partition.partition()))
          .register(registry)
          .increment(lost);
      LOG.error(
          "{} records of {} before offset {} were deleted by retention before this app read them:"
              + " they are lost. Retention must exceed the longest time the app may fall behind.",
          lost,
          partition,
          offset);
    }
  }

  @Override
  public void forget(TopicPartition partition) {
    gaps.forget(partition);
  }

  @Override
  public void close() {
    gaps.close();
  }
}
