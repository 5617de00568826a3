package io.otelstream.edge;

import io.otelstream.schemas.Headers;
import io.otelstream.schemas.Signal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Sends a request's records and completes, on the caller's Vert.x context, once Kafka acknowledged
 * every one of them or as soon as one failed. Never blocks: the producer runs with max.block.ms=0.
 */
final class KafkaWriter {
  private final Producer<byte[], byte[]> producer;
  private final Map<Signal, String> topics;

  KafkaWriter(Producer<byte[], byte[]> producer, Map<Signal, String> topics) {
    this.producer = producer;
    this.topics = new EnumMap<>(topics);
  }

  Future<Void> write(Context context, Signal signal, List<Batch.Record> records, String tenant) {
    Promise<Void> promise = Promise.promise();
    if (records.isEmpty()) {
      promise.complete();
      return promise.future();
    }
    String topic = topics.get(signal);
    List<org.apache.kafka.common.header.Header> headers =
        tenant == null
            ? List.of()
            : List.of(new RecordHeader(Headers.TENANT, Headers.encodeTenant(tenant)));
    AtomicInteger pending = new AtomicInteger(records.size());
    AtomicBoolean done = new AtomicBoolean();
    for (Batch.Record r : records) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers);
      try {
        producer.send(
            record,
            (metadata, error) -> {
              if (error != null) {
                if (done.compareAndSet(false, true)) {
                  EdgeError e = unavailable(error);
                  context.runOnContext(v -> promise.fail(e));
                }
              } else if (pending.decrementAndGet() == 0 && done.compareAndSet(false, true)) {
                context.runOnContext(v -> promise.complete());
              }
            });
      } catch (RuntimeException error) {
        if (done.compareAndSet(false, true)) {
          promise.fail(unavailable(error));
        }
        break;
      }
    }
    return promise.future();
  }

  static EdgeError unavailable(Throwable error) {
    if (error instanceof BufferExhaustedException) {
      return new EdgeError(
          EdgeError.Kind.UNAVAILABLE,
          "producer_buffer_full",
          "Kafka producer buffer is full; retry later");
    }
    if (error instanceof TimeoutException) {
      return new EdgeError(
          EdgeError.Kind.UNAVAILABLE,
          "kafka_unavailable",
          "Kafka is unavailable: " + error.getMessage() + "; retry later");
    }
    return new EdgeError(
        EdgeError.Kind.UNAVAILABLE,
        "kafka_error",
        "Kafka write failed: " + error.getMessage() + "; retry later");
  }
}
