package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Which traces may have a decision in the {@link DecisionCache}'s store, on the heap: a "no" is
 * certain, so a trace's first record, nearly always of a new trace, skips the store's read. A "yes"
 * is wrong for one or two in a hundred traces that have none, which then read the store as before.
 *
 * <p>Bloom filters, one series per slice of expiry time (a quarter of the TTL wide), so that a
 * slice is dropped whole when the cache forgets the slice's decisions. Each filter is blocked
 * (every bit of a trace in one 64-byte block, one cache miss to test) and holds 12 to 24 bits per
 * trace (its blocks a power of two); a slice whose filter fills starts another of twice the size,
 * and the next slice starts at the size the last one reached.
 */
final class DecisionFilter {
  private static final int BITS_PER_TRACE = 12;
  private static final int HASHES = 7;
  private static final int MIN_CAPACITY = 1 << 12;
  private static final long[] NONE = new long[0];

  private final long sliceMs;
  private final LongConsumer heapChange;
  private long bytes;
  private final TreeMap<Long, Slice> slices = new TreeMap<>();
  private Bloom[] all = new Bloom[0]; // every slice's filters, for the lookups
  private int lastCapacity = MIN_CAPACITY;

  /**
   * Slices a quarter of the decision cache TTL wide, at least a second; {@code heapChange} hears of
   * every change to the heap the filters hold, in bytes.
   */
  DecisionFilter(long ttlMs, LongConsumer heapChange) {
    this.sliceMs = Math.max(1_000, ttlMs / 4);
    this.heapChange = heapChange;
  }

  /** The slice of expiry time {@code expiresAtMs} falls in (never negative). */
  long sliceOf(long expiresAtMs) {
    return Math.max(0, expiresAtMs) / sliceMs;
  }

  /** The first time after {@code slice}. */
  long sliceEndMs(long slice) {
    return (slice + 1) * sliceMs;
  }

  /** The decision of {@code traceId} that expires at {@code expiresAtMs} is in the store. */
  void add(long expiresAtMs, byte[] traceId) {
    long h = hash(traceId);
    long slice = sliceOf(expiresAtMs);
    Slice s = slices.get(slice);
    if (s == null) {
      s = new Slice(lastCapacity);
      slices.put(slice, s);
      refresh();
    }
    if (s.add(h)) {
      refresh();
    }
    if (s == slices.lastEntry().getValue()) {
      // Sized by the newest slice: a late decision in an old, small slice does not shrink it.
      lastCapacity = Math.max(MIN_CAPACITY, s.count);
    }
  }

  /** False only when no decision of {@code traceId} is in the store. */
  boolean mightContain(byte[] traceId) {
    long h = hash(traceId);
    for (Bloom b : all) {
      if (b.mightContain(h)) {
        return true;
      }
    }
    return false;
  }

  /** The slices that may hold a decision of {@code traceId}, newest first (most often none). */
  long[] slicesMightContain(byte[] traceId) {
    long h = hash(traceId);
    long[] found = null;
    int n = 0;
    for (Map.Entry<Long, Slice> e : slices.descendingMap().entrySet()) {
      for (Bloom b : e.getValue().blooms) {
        if (b.mightContain(h)) {
          if (found == null) {
            found = new long[slices.size()];
          }
          found[n++] = e.getKey();
          break;
        }
      }
    }
    return found == null ? NONE : java.util.Arrays.copyOf(found, n);
  }

  /** The cache holds no decision of {@code slice} any more. */
  void forget(long slice) {
    if (slices.remove(slice) != null) {
      refresh();
    }
  }

  /** Heap held by the filters' bits. */
  long bytes() {
    return bytes;
  }

  /** Drops every filter (the task closes), telling {@code heapChange}. */
  void clear() {
    slices.clear();
    refresh();
  }

  int slices() {
    return slices.size();
  }

  private void refresh() {
    List<Bloom> blooms = new ArrayList<>();
    for (Slice s : slices.values()) {
      blooms.addAll(s.blooms);
    }
    all = blooms.toArray(new Bloom[0]);
    long now = 0;
    for (Bloom b : all) {
      now += 8L * b.words.length;
    }
    heapChange.accept(now - bytes);
    bytes = now;
  }

  /** 64 well-mixed bits of a trace ID, which a client may have made anything but random. */
  private static long hash(byte[] traceId) {
    ByteBuffer b = ByteBuffer.wrap(traceId);
    long hi = b.getLong(0);
    long lo = b.getLong(8);
    return mix(hi ^ mix(lo ^ 0x9E3779B97F4A7C15L));
  }

  /** MurmurHash3's 64-bit finaliser. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** One expiry slice's filters; only the newest takes new traces. */
  private static final class Slice {
    final List<Bloom> blooms = new ArrayList<>();
    int count;

    Slice(int capacity) {
      blooms.add(new Bloom(capacity));
    }

    /** Adds; true when a new filter was started. */
    boolean add(long h) {
      Bloom last = blooms.get(blooms.size() - 1);
      boolean grew = false;
      if (last.count >= last.capacity) {
        last = new Bloom(last.capacity * 2);
        blooms.add(last);
        grew = true;
      }
      last.add(h);
      count++;
      return grew;
    }
  }

  /** A blocked Bloom filter: a trace's bits all lie in one block of eight words. */
  private static final class Bloom {
    final long[] words;
    final int capacity;
    final int blockMask;
    int count;

    Bloom(int capacity) {
      this.capacity = capacity;
      int blocks = Integer.highestOneBit(Math.max(1, capacity * BITS_PER_TRACE / 512 - 1)) << 1;
      this.words = new long[blocks * 8];
      this.blockMask = blocks - 1;
    }

    void add(long h) {
      int base = ((int) (h >>> 40) & blockMask) << 3;
      long bits = h;
      for (int i = 0; i < HASHES; i++) {
        int bit = (int) (bits & 511);
        words[base + (bit >>> 6)] |= 1L << bit;
        bits = Long.rotateRight(bits, 9) * 0x9E3779B97F4A7C15L;
      }
      count++;
    }

    boolean mightContain(long h) {
      int base = ((int) (h >>> 40) & blockMask) << 3;
      long bits = h;
      for (int i = 0; i < HASHES; i++) {
        int bit = (int) (bits & 511);
        if ((words[base + (bit >>> 6)] & (1L << bit)) == 0) {
          return false;
        }
        bits = Long.rotateRight(bits, 9) * 0x9E3779B97F4A7C15L;
      }
      return true;
    }
  }
}
