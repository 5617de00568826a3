package io.otelstream.streams.traces;

import static io.otelstream.schemas.Headers.DEADLETTER_OFFSET;
import static io.otelstream.schemas.Headers.DEADLETTER_PARTITION;
import static io.otelstream.schemas.Headers.DEADLETTER_REASON;
import static io.otelstream.schemas.Headers.DEADLETTER_TOPIC;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Sends an unprocessable record, unchanged, to the dead-letter sink with headers saying why. */
public final class DeadLetters {
  /**
   * The dead-letter sink of tail sampling. Each signal has a sink of its own, all to the same
   * topic: one shared sink would join the three signals into one sub-topology, so each task would
   * read a partition of each input topic, and Kafka Streams would wait on (and log about, at a cost
   * per record) the empty ones.
   */
  public static final String SINK = "deadletter-sink";

  public static final String METRICS_SINK = "metrics-deadletter-sink";
  public static final String LOGS_SINK = "logs-deadletter-sink";
  public static final String METRICS_AGGREGATION_SINK = "metrics-aggregate-deadletter-sink";

  private DeadLetters() {}

  /** Sends to the named child; a null name sends nothing (a replay preview writes nothing). */
  public static void send(
      ProcessorContext<byte[], byte[]> context,
      Record<byte[], byte[]> record,
      String reason,
      String sink) {
    if (sink == null) {
      return;
    }
    Headers headers = new RecordHeaders(record.headers().toArray());
    context
        .recordMetadata()
        .ifPresent(
            m -> {
              headers.add(DEADLETTER_TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
              headers.add(
                  DEADLETTER_PARTITION,
                  Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
              headers.add(
                  DEADLETTER_OFFSET, Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
            });
    headers.add(DEADLETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), sink);
  }
}
