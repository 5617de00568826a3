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
public abstract class BatchingSinkTask<S extends SinkSettings> extends SinkTask {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(BatchingSinkTask.class);

  /** A decoded record. */
  public record Item(SinkRecord record, Message message, int bytes) {
    /** The record's otelstream.tenant header, or "" when it has none. */
    public String tenant() {
      org.apache.kafka.connect.header.Header h =
          record.headers().lastWithName(io.otelstream.schemas.Headers.TENANT);
      String tenant = h == null ? null : io.otelstream.schemas.Headers.decodeTenant(h.value());
      return tenant == null ? "" : tenant;
    }
  }

  /** First retry's backoff ceiling; each failure doubles it. */
  public static final long INITIAL_BACKOFF_MS = 500;

  /** Backoff ceiling when the backend said nothing about when to retry. */
  public static final long MAX_BACKOFF_MS = 30_000;

  /** The longest Retry-After / RetryInfo wait honoured (a larger one is cut to this). */
  public static final long MAX_RETRY_AFTER_MS = 300_000;

  private final List<Item> batch = new ArrayList<>();
  private volatile int failedAttempts; // read by the metrics reporter's thread
  private long retryNotBeforeNanos = System.nanoTime();
  private final Map<TopicPartition, Long> buffered = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> delivered = new HashMap<>();
  private long batchBytes;
  private long firstBufferedAt;
  private S settings;
  private ErrantRecordReporter reporter;
  private boolean tolerateAll;
  protected SinkCounters counters;
  private io.otelstream.topics.RetentionGaps gaps;
  private volatile long oldestHeldMs = Long.MAX_VALUE; // read by the metrics reporter's thread

  protected abstract S settings(Map<String, String> props);

  /** Opens backend resources. */
  protected abstract void open(S settings);

  /**
   * Refuses, with a permanent BackendException, a record this backend can never take, before it
   * joins a batch; such a record is handled alone and costs no other record its delivery.
   */
  protected void check(Item item) throws BackendException {}

  /** Delivers a batch, completely or not at all. */
  protected abstract void send(List<Item> batch) throws BackendException;

  /** Closes backend resources. */
  protected void closeBackend() {}

  @Override
  public void start(Map<String, String> props) {
    settings = settings(props);
    reporter = context == null ? null : context.errantRecordReporter();
    tolerateAll = "all".equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none"));
    counters =
        new SinkCounters(
            context == null ? null : context.pluginMetrics(),
            settings.signal().key(),
            () -> failedAttempts,
            this::lagSeconds);
    Map<String, Object> admin = settings.kafkaAdmin();
    String name = props.getOrDefault("name", "otelstream-sink");
    if (admin.isEmpty()) {
      LOG.warn(
          "{} is not set: records retention deletes before this sink reads them cannot be counted",
          SinkSettings.KAFKA_BOOTSTRAP);
    } else {
      gaps =
          new io.otelstream.topics.RetentionGaps(
              admin, settings.consumerGroup(name), name + "-retention-check");
    }
    open(settings);
  }

  @Override
  public final void stop() {
    if (gaps != null) {
      gaps.close();
    }
    closeBackend();
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    if (gaps != null) {
      partitions.forEach(gaps::forget);
    }
  }

  /**
   * Age of the oldest record this task holds undelivered (now minus its record time), 0 when it
   * holds none: how far behind the backend is, in time. Records' times are set upstream, so for
   * traces it includes the decision wait.
   */
  private double lagSeconds() {
    long oldest = oldestHeldMs;
    return oldest == Long.MAX_VALUE ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
  }

  /** Counts (and logs) offsets retention deleted before this task read them. */
  private void checkRetention(SinkRecord r, TopicPartition tp) {
    if (gaps == null) {
      return;
    }
    long lost = gaps.read(tp, r.kafkaOffset());
    if (lost > 0) {
      counters.lostToRetention(tp, lost);
      LOG.error(
          "{} records of {} before offset {} were deleted by retention before this sink read"
              + " them: they are lost to the backend. Retention must exceed the longest time the"
              + " sink may fall behind.",
          lost,
          tp,
          r.kafkaOffset());
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    long waitNanos = retryNotBeforeNanos - System.nanoTime();
    if (waitNanos > 0) {
      // Backing off: Connect keeps these records and gives them back after the timeout (it may
      // call put sooner, e.g. at an offset commit; the wait holds all the same).
      long waitMs = Math.max(1, waitNanos / 1_000_000);
      if (context != null) {
        context.timeout(waitMs);
      }
      throw new RetriableException("backing off: next attempt in " + waitMs + " ms");
    }
    for (SinkRecord r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
      checkRetention(r, tp);
      Long last = buffered.get(tp);
      if (last != null && r.kafkaOffset() <= last) {
        continue; // redelivered after a retriable failure: already in the batch
      }
      buffered.put(tp, r.kafkaOffset());
      byte[] value = r.value() instanceof byte[] b ? b : null;
      Message message;
      try {
        message = settings.signal().parseRequest(value);
      } catch (InvalidProtocolBufferException e) {
        reject(
            List.of(r),
            "undecodable",
            "record is not an OTLP "
                + settings.signal().key()
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
      if (r.timestamp() != null) {
        oldestHeldMs = Math.min(oldestHeldMs, r.timestamp());
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
    if (retryNotBeforeNanos - System.nanoTime() <= 0) {
      try {
        deliver();
      } catch (RetriableException e) {
        // Offsets stay at what was delivered; the batch is sent again on a later put.
      }
    }
    return new HashMap<>(delivered);
  }

  private void deliver() {
    if (batch.isEmpty()) {
      return;
    }
    List<Item> items = List.copyOf(batch);
    long started = System.nanoTime();
    try {
      send(items);
      counters.sent(items.size(), batchBytes, System.nanoTime() - started);
    } catch (BackendException e) {
      counters.failed(e.reason());
      if (e.retriable()) {
        throw retriable(e);
      }
      narrow(items, e);
    }
    failedAttempts = 0;
    markDelivered(batch);
  }

  /**
   * A batch the backend refused for good: the refused records, and only them, are rejected (dead
   * letters), the others delivered. The batch is sent again per tenant, then a refused part is
   * halved until the refused records stand alone: about log2(batch) more requests per refused
   * record. Parts the backend took before the refusal may arrive twice, as at-least-once allows.
   */
  private void narrow(List<Item> items, BackendException refusal) {
    Map<String, List<Item>> byTenant = new java.util.LinkedHashMap<>();
    items.forEach(i -> byTenant.computeIfAbsent(i.tenant(), t -> new ArrayList<>()).add(i));
    if (byTenant.size() == 1) {
      isolate(items, refusal);
    } else {
      byTenant.values().forEach(part -> isolate(part, null));
    }
  }

  /** Sends {@code items} (unless {@code refusal} already says they fail) and halves on refusal. */
  private void isolate(List<Item> items, BackendException refusal) {
    BackendException e = refusal;
    if (e == null) {
      long started = System.nanoTime();
      try {
        send(items);
        counters.sent(
            items.size(), items.stream().mapToLong(Item::bytes).sum(), System.nanoTime() - started);
        return;
      } catch (BackendException x) {
        counters.failed(x.reason());
        if (x.retriable()) {
          throw retriable(x); // the whole batch is sent again; nothing is marked delivered
        }
        e = x;
      }
    }
    if (items.size() == 1) {
      reject(List.of(items.get(0).record()), e.reason(), e.getMessage());
      return;
    }
    int half = items.size() / 2;
    isolate(items.subList(0, half), null);
    isolate(items.subList(half, items.size()), null);
  }

  /**
   * A retriable failure: Connect gives the batch back after {@code context.timeout}: the wait the
   * backend asked for (HTTP Retry-After, gRPC RetryInfo; at most {@link #MAX_RETRY_AFTER_MS}), else
   * exponential backoff from {@link #INITIAL_BACKOFF_MS} to {@link #MAX_BACKOFF_MS} with jitter.
   */
  private RetriableException retriable(BackendException e) {
    long waitMs = backoffMs(e.retryAfter(), failedAttempts++);
    retryNotBeforeNanos = System.nanoTime() + waitMs * 1_000_000;
    if (context != null) {
      context.timeout(waitMs);
    }
    return new RetriableException(
        "backend unavailable ("
            + e.reason()
            + "): "
            + e.getMessage()
            + "; retrying in "
            + waitMs
            + " ms",
        e);
  }

  /** Backoff before retry number {@code attempt} (0 for the first). */
  static long backoffMs(java.time.Duration retryAfter, int attempt) {
    if (retryAfter != null) {
      return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, retryAfter.toMillis()));
    }
    long ceiling = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS << Math.min(attempt, 16));
    return ceiling / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private void markDelivered(List<Item> items) {
    for (Item i : items) {
      delivered.put(
          new TopicPartition(i.record().topic(), i.record().kafkaPartition()),
          new OffsetAndMetadata(i.record().kafkaOffset() + 1));
    }
    batch.clear();
    batchBytes = 0;
    oldestHeldMs = Long.MAX_VALUE;
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
