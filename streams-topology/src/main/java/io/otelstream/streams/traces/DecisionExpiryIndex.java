package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteOptions;

/**
 * The {@link DecisionCache}'s index of its decisions by expiry time, which the cache owns: derived
 * from the changelogged decisions when a task opens, so it costs no changelog record. It lives in
 * the task's local RocksDB beside the in-flight traces ({@link DiskTraces}), under keys of its own
 * ({@code E} expiry time + trace ID), and is wiped with it. Each entry's value is the last input
 * offset its decision covers, so that expiring a decision needs no read of it: the cache keeps
 * exactly one entry per decision it holds.
 */
final class DecisionExpiryIndex {
  static final byte KIND = 'E';

  private final RocksDB db;
  private final WriteOptions noWal;

  DecisionExpiryIndex(RocksDB db, WriteOptions noWal) {
    this.db = db;
    this.noWal = noWal;
  }

  /**
   * An entry: the decision of {@code traceId} expires at {@code timeMs} and covers input records up
   * to {@code lastOffset}.
   */
  record Entry(long timeMs, byte[] traceId, long lastOffset) {}

  /** Adds the entry, or replaces its last offset. */
  void put(long timeMs, byte[] traceId, long lastOffset) {
    try {
      db.put(noWal, key(timeMs, traceId), ByteBuffer.allocate(8).putLong(lastOffset).array());
    } catch (RocksDBException e) {
      throw new IllegalStateException("decision expiry index: cannot index a decision", e);
    }
  }

  void remove(long timeMs, byte[] traceId) {
    try {
      db.delete(noWal, key(timeMs, traceId));
    } catch (RocksDBException e) {
      throw new IllegalStateException("decision expiry index: cannot unindex a decision", e);
    }
  }

  /** Removes every entry from {@code fromMs} to {@code toMs} inclusive, in one call. */
  void removeRange(long fromMs, long toMs) {
    try {
      db.deleteRange(noWal, key(fromMs, new byte[16]), key(toMs + 1, new byte[16]));
    } catch (RocksDBException e) {
      throw new IllegalStateException("decision expiry index: cannot unindex decisions", e);
    }
  }

  /** Entries from {@code fromMs} to {@code toMs} inclusive, oldest first. */
  List<Entry> range(long fromMs, long toMs) {
    List<Entry> out = new ArrayList<>();
    try (Slice bound = new Slice(key(toMs + 1, new byte[16]));
        ReadOptions read = new ReadOptions().setIterateUpperBound(bound);
        RocksIterator it = db.newIterator(read)) {
      for (it.seek(key(fromMs, new byte[16])); it.isValid(); it.next()) {
        byte[] k = it.key();
        out.add(
            new Entry(
                ByteBuffer.wrap(k).getLong(1),
                Arrays.copyOfRange(k, 9, 25),
                ByteBuffer.wrap(it.value()).getLong()));
      }
    }
    return out;
  }

  private static byte[] key(long timeMs, byte[] traceId) {
    return ByteBuffer.allocate(25).put(KIND).putLong(Math.max(0, timeMs)).put(traceId).array();
  }
}
