package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The {@link DecisionCache}'s decisions by slice of expiry time and trace ID, which the cache owns:
 * derived from the changelogged decisions when a task opens, so it costs no changelog record, and
 * read for a trace's decision. It lives in the task's local RocksDB beside the in-flight traces
 * ({@link DiskTraces}), under keys of its own ({@code E} slice + trace ID), and is wiped with it. A
 * slice is forgotten in one range delete, never decision by decision.
 */
final class DecisionIndex {
  static final byte KIND = 'E';

  private final RocksDB db;
  private final WriteOptions noWal;

  DecisionIndex(RocksDB db, WriteOptions noWal) {
    this.db = db;
    this.noWal = noWal;
  }

  /** Holds {@code d} as the decision of {@code traceId} in {@code slice}, replacing any there. */
  void put(long slice, byte[] traceId, DecisionCache.Decision d) {
    try {
      db.put(noWal, key(slice, traceId), encode(d));
    } catch (RocksDBException e) {
      throw new IllegalStateException("decision index: cannot index a decision", e);
    }
  }

  /** The decision of {@code traceId} in {@code slice}, or null. */
  DecisionCache.Decision get(long slice, byte[] traceId) {
    try {
      byte[] v = db.get(key(slice, traceId));
      return v == null ? null : decode(v);
    } catch (RocksDBException e) {
      throw new IllegalStateException("decision index: cannot read a decision", e);
    }
  }

  /** Forgets every decision of {@code slice}, in one call. */
  void removeSlice(long slice) {
    try {
      db.deleteRange(noWal, key(slice, new byte[16]), key(slice + 1, new byte[16]));
    } catch (RocksDBException e) {
      throw new IllegalStateException("decision index: cannot forget a slice", e);
    }
  }

  private static byte[] key(long slice, byte[] traceId) {
    return ByteBuffer.allocate(25).put(KIND).putLong(Math.max(0, slice)).put(traceId).array();
  }

  // Local and wiped at every open, so the encoding is this release's own (no schema).
  private static byte[] encode(DecisionCache.Decision d) {
    byte[] policy = bytes(d.policy());
    byte[] tenant = bytes(d.tenant());
    ByteBuffer b =
        ByteBuffer.allocate(1 + 24 + 8 + lengthOf(policy) + lengthOf(tenant))
            .put((byte) (d.sampled() ? 1 : 0))
            .putLong(d.decidedAtMs())
            .putLong(d.expiresAtMs())
            .putLong(d.lastOffset());
    put(b, policy);
    put(b, tenant);
    return b.array();
  }

  private static DecisionCache.Decision decode(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    boolean sampled = b.get() == 1;
    long decidedAt = b.getLong();
    long expiresAt = b.getLong();
    long lastOffset = b.getLong();
    String policy = string(b);
    String tenant = string(b);
    return new DecisionCache.Decision(sampled, policy, decidedAt, expiresAt, tenant, lastOffset);
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int lengthOf(byte[] b) {
    return 4 + (b == null ? 0 : b.length);
  }

  private static void put(ByteBuffer b, byte[] s) {
    b.putInt(s == null ? -1 : s.length);
    if (s != null) {
      b.put(s);
    }
  }

  private static String string(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) {
      return null;
    }
    String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }
}
