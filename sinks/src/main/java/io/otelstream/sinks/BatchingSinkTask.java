package io.otelstream.sinks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * At-least-once delivery shared by the sinks: records are decoded, batched by records, bytes and
 * time, and handed to {@link #send}; offsets are committed only up to what a backend accepted.
 * Retriable failures keep the batch and offsets back; permanent ones go to the dead-letter queue
 * when {@code errors.tolerance=all}, and otherwise fail the task with the backend's message.
 */
public abstract class BatchingSinkTask extends SinkTask {
  /** A decoded record. */
  public record Item(SinkRecord record, Message message, int bytes) {
    /** The record's otelstream.tenant header, or "" when it has none. */
    public String tenant() {
      org.apache.kafka.connect.header.Header h =
          record.headers().lastWithName(io.otelstream.schemas.Headers.TENANT);
      if (h == null || h.value() == null) {
        return "";
      }
      return h.value() instanceof byte[] b
          ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
          : h.value().toString();
    }
  }

  private final List<Item> batch = new ArrayList<>();
  private final Map<TopicPartition, Long> buffered = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> delivered = new HashMap<>();
  private long batchBytes;
  private long firstBufferedAt;
  private SinkSettings settings;
  private ErrantRecordReporter reporter;
  private boolean tolerateAll;
  protected SinkCounters counters;

  protected abstract SinkSettings settings(Map<String, String> props);

  /** Opens backend resources. */
  protected abstract void open(SinkSettings settings);

  /**
   * Refuses, with a permanent BackendException, a record this backend can never take, before it
   * joins a batch; such a record is handled alone and costs no other record its delivery.
   */
  protected void check(Item item) throws BackendException {}

  /** Delivers a batch, completely or not at all. */
  protected abstract void send(List<Item> batch) throws BackendException;

  @Override
  public void start(Map<String, String> props) {
    settings = settings(props);
    reporter = context == null ? null : context.errantRecordReporter();
    tolerateAll = "all".equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none"));
    counters =
        new SinkCounters(
            context == null ? null : context.pluginMetrics(), settings.signal().label());
    open(settings);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    for (SinkRecord r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
      Long last = buffered.get(tp);
      if (last != null && r.kafkaOffset() <= last) {
        continue; // redelivered after a retriable failure: already in the batch
      }
      buffered.put(tp, r.kafkaOffset());
      byte[] value = r.value() instanceof byte[] b ? b : null;
      Message message;
      try {
        message = settings.signal().decode(value);
      } catch (InvalidProtocolBufferException e) {
        reject(
            List.of(r),
            "undecodable",
            "record is not an OTLP "
                + settings.signal().label()
                + " export request: "
                + e.getMessage());
        continue;
      }
      Item item = new Item(r, message, value.length);
      try {
        check(item);
      } catch (BackendException e) {
        reject(List.of(r), e.reason(), e.getMessage());
        continue;
      }
      if (batch.isEmpty()) {
        firstBufferedAt = System.currentTimeMillis();
      }
      batch.add(item);
      batchBytes += value.length;
      if (batch.size() >= settings.batchMaxRecords() || batchBytes >= settings.batchMaxBytes()) {
        deliver(); // a batch never grows past its limits, however many records one put brings
      }
    }
    if (!batch.isEmpty()
        && System.currentTimeMillis() - firstBufferedAt >= settings.batchLingerMs()) {
      deliver();
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> current) {
    try {
      deliver();
    } catch (RetriableException e) {
      // Offsets stay at what was delivered; the batch is sent again on the next put.
    }
    return new HashMap<>(delivered);
  }

  private void deliver() {
    if (batch.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    try {
      send(List.copyOf(batch));
      counters.sent(batch.size(), batchBytes, System.nanoTime() - started);
      markDelivered(batch);
    } catch (BackendException e) {
      counters.failed(e.reason());
      if (e.retriable()) {
        throw new RetriableException(
            "backend unavailable (" + e.reason() + "): " + e.getMessage(), e);
      }
      reject(batch.stream().map(Item::record).toList(), e.reason(), e.getMessage());
      markDelivered(batch);
    }
  }

  private void markDelivered(List<Item> items) {
    for (Item i : items) {
      delivered.put(
          new TopicPartition(i.record().topic(), i.record().kafkaPartition()),
          new OffsetAndMetadata(i.record().kafkaOffset() + 1));
    }
    batch.clear();
    batchBytes = 0;
  }

  /** Permanently refused records: dead-letter queue with tolerance=all, else the task fails. */
  private void reject(List<SinkRecord> records, String reason, String message) {
    if (!tolerateAll || reporter == null) {
      throw new ConnectException(message);
    }
    for (SinkRecord r : records) {
      reporter.report(r, new ConnectException(reason + ": " + message));
      delivered.put(
          new TopicPartition(r.topic(), r.kafkaPartition()),
          new OffsetAndMetadata(r.kafkaOffset() + 1));
    }
    counters.deadLettered(reason, records.size());
  }

  /**
   * Counts items (spans, points, log records) that were not stored although the batch was accepted:
   * a translation cannot carry them, or the backend reported them rejected.
   */
  protected void countDropped(String reason, long n) {
    counters.droppedItems(reason, n);
  }

  @Override
  public String version() {
    return SinkVersion.VERSION;
  }
}
