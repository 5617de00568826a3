package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A time-ordered index of trace IDs (the decision expiries) inside a store that holds other keys
 * too. A leading kind byte keeps the index apart, so it is scanned in time order on its own while
 * the store shares one changelog topic.
 */
final class TimeIndex {
  static final byte DECISION_EXPIRY = 1;
  private static final byte[] EMPTY = new byte[0];

  private final KeyValueStore<Bytes, byte[]> store;
  private final byte kind;

  TimeIndex(KeyValueStore<Bytes, byte[]> store, byte kind) {
    this.store = store;
    this.kind = kind;
  }

  void put(long timeMs, byte[] traceId) {
    store.put(key(timeMs, traceId), EMPTY);
  }

  void delete(long timeMs, byte[] traceId) {
    store.delete(key(timeMs, traceId));
  }

  /** Deletes an entry by the key an iterator returned. */
  void delete(Bytes key) {
    store.delete(key);
  }

  /** Entries due at or before {@code timeMs}, oldest first; close the iterator. */
  KeyValueIterator<Bytes, byte[]> upTo(long timeMs) {
    return between(0, timeMs);
  }

  /**
   * Entries due from {@code fromMs} to {@code timeMs}, oldest first; close the iterator. Starting
   * above entries already deleted skips their tombstones.
   */
  KeyValueIterator<Bytes, byte[]> between(long fromMs, long timeMs) {
    return store.range(key(fromMs, new byte[16]), upperBound(timeMs));
  }

  /** Every entry of this index, oldest first; close the iterator. */
  KeyValueIterator<Bytes, byte[]> all() {
    return upTo(Long.MAX_VALUE);
  }

  /** Key: kind, big-endian time (non-negative, so byte order is time order), trace ID. */
  private Bytes key(long timeMs, byte[] traceId) {
    return Bytes.wrap(
        ByteBuffer.allocate(25).put(kind).putLong(Math.max(0, timeMs)).put(traceId).array());
  }

  private Bytes upperBound(long timeMs) {
    byte[] b = ByteBuffer.allocate(25).put(kind).putLong(Math.max(0, timeMs)).array();
    for (int i = 9; i < 25; i++) {
      b[i] = (byte) 0xff;
    }
    return Bytes.wrap(b);
  }

  static long timeOf(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong(1);
  }

  static byte[] traceIdOf(Bytes key) {
    byte[] id = new byte[16];
    System.arraycopy(key.get(), 9, id, 0, 16);
    return id;
  }
}
