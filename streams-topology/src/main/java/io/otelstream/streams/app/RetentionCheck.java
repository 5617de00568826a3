package io.otelstream.streams.app;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first node after each input topic: hands every record's offset to {@link InputRetention} and
 * forwards the record unchanged.
 */
final class RetentionCheck implements Processor<byte[], byte[], byte[], byte[]> {
  private final InputRetention retention;
  private final Set<TopicPartition> seen = new HashSet<>();
  private TopicPartition last; // a task reads one partition: one TopicPartition, not one per record
  private ProcessorContext<byte[], byte[]> context;

  RetentionCheck(InputRetention retention) {
    this.retention = retention;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    context
        .recordMetadata()
        .ifPresent(
            m -> {
              if (last == null
                  || last.partition() != m.partition()
                  || !last.topic().equals(m.topic())) {
                last = new TopicPartition(m.topic(), m.partition());
                seen.add(last);
              }
              retention.read(last, m.offset());
            });
    context.forward(record);
  }

  @Override
  public void close() {
    seen.forEach(retention::forget);
  }
}
