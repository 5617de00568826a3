package io.otelstream.streams.traces;

import io.otelstream.schemas.AvroState;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one small changelogged record per input partition that makes in-flight traces recoverable:
 * the low watermark (first input offset of the oldest undecided trace; a lower bound, refreshed
 * every second) and the offset processing resumes at. It is written for every record into a cached
 * store, so the changelog sees it once per commit, in the same transaction as the input offsets:
 * after any restart it says exactly which input range rebuilds the in-flight traces.
 */
final class PartitionWatermark {
  private final KeyValueStore<Bytes, byte[]> store;
  private final Bytes key;
  private long low = -1;
  private long next = -1;

  PartitionWatermark(KeyValueStore<Bytes, byte[]> store, int partition) {
    this.store = store;
    this.key = Bytes.wrap(ByteBuffer.allocate(4).putInt(partition).array());
    byte[] v = store.get(key);
    if (v != null) {
      GenericRecord r = AvroState.PARTITION_WATERMARK.decode(v);
      low = (long) r.get("lowWatermark");
      next = (long) r.get("nextOffset");
    }
  }

  /** Whether a committed watermark exists (the task ran before). */
  boolean known() {
    return low >= 0;
  }

  long low() {
    return low;
  }

  long next() {
    return next;
  }

  /** Processing resumes at {@code offset} (the committed input offset). */
  void resumeAt(long offset) {
    next = offset;
  }

  /** A record at {@code offset} was processed; the first one ever sets the watermark. */
  void processed(long offset) {
    next = offset + 1;
    if (low < 0) {
      low = offset;
      write();
    }
  }

  /** The oldest undecided trace now starts at {@code offset}; the watermark never moves back. */
  void lowWatermark(long offset) {
    if (offset > low) {
      low = offset;
      write();
    }
  }

  private void write() {
    GenericRecord r = AvroState.PARTITION_WATERMARK.newRecord();
    r.put("lowWatermark", low);
    r.put("nextOffset", next);
    store.put(key, AvroState.PARTITION_WATERMARK.encode(r));
  }
}
