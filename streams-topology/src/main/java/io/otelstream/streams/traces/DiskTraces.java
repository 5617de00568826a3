package io.otelstream.streams.traces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The in-flight traces of a task that did not fit the heap budget ({@link HeapTraces}): their
 * fragments, gathering state, deadlines and arrival offsets, in a RocksDB of the task's own that
 * has no changelog and no write-ahead log; it also holds the {@link DecisionIndex}. It is wiped
 * whenever it opens: the input partition is the durable record of in-flight spans, and {@link
 * InputRebuilder} fills the task's stores again from it.
 *
 * <p>Keys start with a kind byte: {@code F} trace ID (the trace's fragments, appended in arrival
 * order by RocksDB's string-append merge operator, each framed by its length, so adding one is a
 * blind write and reading all of them one point lookup), {@code S} trace ID (gathering state),
 * {@code D} deadline + trace ID, {@code A} first offset + trace ID (the oldest is the low
 * watermark); {@code E} keys are the decision index's. The store is wiped at every open, so a
 * trace's fragments are never appended twice.
 */
final class DiskTraces implements AutoCloseable {
  private static final byte FRAGMENT = 'F';
  private static final byte STATE = 'S';
  private static final byte DEADLINE = 'D';
  private static final byte ARRIVAL = 'A';
  private static final byte[] EMPTY = new byte[0];
  // Operands are framed by their length, so no delimiter is needed between them.
  private static final StringAppendOperator APPEND = new StringAppendOperator("");

  private final Path dir;
  private final Options options;
  private final WriteOptions noWal;
  private final RocksDB db;
  private long traces;
  // Deleted index entries stay as tombstones until compaction; a seek from the start of an index
  // would step over every one of them. Both indexes are drained from their low end, so each seek
  // starts at a floor below which nothing live remains.
  private long deadlineFloor;
  // The gathering state of recently touched traces, written through to the store: a trace's later
  // fragments usually come within seconds, and then skip a store read. Bounded, so memory stays
  // flat however many traces are in flight (the store holds them all).
  private static final int RECENT_STATES = 8192;
  private final java.util.Map<ByteBuffer, GatherState> recent =
      new java.util.LinkedHashMap<>(RECENT_STATES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<ByteBuffer, GatherState> eldest) {
          return size() > RECENT_STATES;
        }
      };
  private long arrivalFloor;

  private DiskTraces(Path dir, RocksDbMemory memory) {
    this.dir = dir;
    deleteRecursively(dir);
    try {
      Files.createDirectories(dir);
      // Most lookups miss (a trace's first record, a decided trace's state): bloom filters, for
      // the files and for the memtables that hold most of the live data, answer those without a
      // search.
      options =
          new Options()
              .setCreateIfMissing(true)
              .setMergeOperator(APPEND)
              .setMemtablePrefixBloomSizeRatio(0.05)
              .setMemtableWholeKeyFiltering(true)
              .setTableFormatConfig(
                  new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false)));
      memory.apply(options);
      noWal = new WriteOptions().setDisableWAL(true);
      db = RocksDB.open(options, dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the local trace store in " + dir, e);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open the local trace store in " + dir, e);
    }
  }

  /** Opens an empty store in {@code dir}, deleting whatever an earlier run left there. */
  static DiskTraces openEmpty(Path dir, RocksDbMemory memory) {
    return new DiskTraces(dir, memory);
  }

  /** Traces being gathered. */
  long size() {
    return traces;
  }

  GatherState state(byte[] traceId) {
    GatherState cached = recent.get(ByteBuffer.wrap(traceId));
    if (cached != null) {
      return cached;
    }
    byte[] v = get(key(STATE, traceId));
    return v == null ? null : GatherState.decode(v);
  }

  /** Starts a trace with its first fragment. */
  void start(byte[] traceId, GatherState state, byte[] value) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(key(STATE, traceId), state.encode());
      batch.put(timeKey(DEADLINE, state.deadlineMs(), traceId), EMPTY);
      deadlineFloor = Math.min(deadlineFloor, Math.max(0, state.deadlineMs()));
      arrivalFloor = Math.min(arrivalFloor, Math.max(0, state.firstOffset()));
      batch.put(timeKey(ARRIVAL, state.firstOffset(), traceId), EMPTY);
      batch.merge(key(FRAGMENT, traceId), framed(value));
      db.write(noWal, batch);
      recent.put(ByteBuffer.wrap(traceId), state);
      traces++;
    } catch (RocksDBException e) {
      throw failed("start a trace", e);
    }
  }

  /** Starts a trace with all its fragments so far (it moves here from the heap). */
  void startAll(byte[] traceId, GatherState state, List<byte[]> values) {
    start(traceId, state, values.get(0));
    if (values.size() > 1) {
      try (WriteBatch batch = new WriteBatch()) {
        for (byte[] value : values.subList(1, values.size())) {
          batch.merge(key(FRAGMENT, traceId), framed(value));
        }
        db.write(noWal, batch);
      } catch (RocksDBException e) {
        throw failed("move a trace from the heap", e);
      }
    }
  }

  /** Adds a later fragment of a trace being gathered. */
  void add(byte[] traceId, GatherState state, byte[] value) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(key(STATE, traceId), state.encode());
      batch.merge(key(FRAGMENT, traceId), framed(value));
      db.write(noWal, batch);
      recent.put(ByteBuffer.wrap(traceId), state);
    } catch (RocksDBException e) {
      throw failed("add a fragment", e);
    }
  }

  /** The record values of the trace's fragments, in input order. */
  List<byte[]> fragments(byte[] traceId, GatherState state) {
    byte[] all = get(key(FRAGMENT, traceId));
    List<byte[]> out = new ArrayList<>(state.fragments());
    ByteBuffer b = all == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(all);
    while (b.remaining() >= 4) {
      byte[] value = new byte[b.getInt()];
      b.get(value);
      out.add(value);
    }
    if (out.size() != state.fragments()) {
      throw new IllegalStateException(
          "local trace store in "
              + dir
              + ": a gathered trace has "
              + out.size()
              + " fragments stored, "
              + state.fragments()
              + " gathered");
    }
    return out;
  }

  private static byte[] framed(byte[] value) {
    return ByteBuffer.allocate(4 + value.length).putInt(value.length).put(value).array();
  }

  /**
   * Forgets a decided trace and its fragments. A trace decided because its deadline passed keeps
   * its deadline entry: {@link #releaseDeadlinesUpTo} removes those together, with one range
   * deletion instead of a tombstone each that later seeks would step over.
   */
  void remove(byte[] traceId, GatherState state, boolean dueByDeadline) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(key(FRAGMENT, traceId));
      batch.delete(key(STATE, traceId));
      if (!dueByDeadline) {
        batch.delete(timeKey(DEADLINE, state.deadlineMs(), traceId));
      }
      batch.delete(timeKey(ARRIVAL, state.firstOffset(), traceId));
      db.write(noWal, batch);
      recent.remove(ByteBuffer.wrap(traceId));
      if (--traces == 0) {
        // Every arrival entry is deleted: the next trace's own offset is the floor.
        arrivalFloor = Long.MAX_VALUE;
      }
    } catch (RocksDBException e) {
      throw failed("remove a trace", e);
    }
  }

  /**
   * The deadline index up to {@code timeMs} inclusive, oldest first. Deciding (which writes) while
   * it is open is safe: it reads a snapshot.
   */
  Due due(long timeMs) {
    return new Due(timeMs);
  }

  /** A cursor over the deadline index; entries it passed are dropped by {@link #close}. */
  final class Due implements AutoCloseable {
    private final long timeMs;
    private final Slice bound;
    private final ReadOptions read;
    private final RocksIterator it;

    private Due(long timeMs) {
      this.timeMs = timeMs;
      bound = new Slice(timeKey(DEADLINE, timeMs + 1, new byte[16]));
      read = new ReadOptions().setIterateUpperBound(bound);
      it = db.newIterator(read);
      if (timeMs >= deadlineFloor) {
        it.seek(timeKey(DEADLINE, deadlineFloor, new byte[16]));
      }
    }

    boolean valid() {
      return timeMs >= deadlineFloor && it.isValid();
    }

    long deadline() {
      return ByteBuffer.wrap(it.key()).getLong(1);
    }

    byte[] traceId() {
      return Arrays.copyOfRange(it.key(), 9, 25);
    }

    void next() {
      it.next();
    }

    /**
     * Drops the entries passed: all of them up to {@code timeMs} when the cursor ran out, else
     * those before the current entry's deadline (the rest waits for the next call).
     */
    @Override
    public void close() {
      try {
        if (timeMs >= deadlineFloor) {
          releaseDeadlinesBefore(it.isValid() ? deadline() : timeMs + 1);
        }
      } finally {
        it.close();
        read.close();
        bound.close();
      }
    }
  }

  /** Drops the deadline entries before {@code timeMs} in one range deletion. */
  private void releaseDeadlinesBefore(long timeMs) {
    if (timeMs <= deadlineFloor) {
      return;
    }
    try {
      db.deleteRange(
          noWal,
          timeKey(DEADLINE, deadlineFloor, new byte[16]),
          timeKey(DEADLINE, timeMs, new byte[16]));
      deadlineFloor = timeMs;
    } catch (RocksDBException e) {
      throw failed("release deadlines", e);
    }
  }

  /** The trace with the earliest deadline (the oldest), or null when none is gathered. */
  byte[] oldest() {
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(timeKey(DEADLINE, deadlineFloor, new byte[16]));
          it.isValid() && it.key()[0] == DEADLINE;
          it.next()) {
        byte[] traceId = Arrays.copyOfRange(it.key(), 9, 25);
        if (get(key(STATE, traceId)) != null) {
          return traceId;
        }
      }
    }
    return null;
  }

  /** Input offset of the first record of the oldest trace still gathered, or {@code otherwise}. */
  long lowWatermark(long otherwise) {
    try (RocksIterator it = db.newIterator()) {
      it.seek(timeKey(ARRIVAL, arrivalFloor, new byte[16]));
      if (it.isValid() && it.key()[0] == ARRIVAL) {
        arrivalFloor = ByteBuffer.wrap(it.key()).getLong(1);
        return arrivalFloor;
      }
    }
    // Empty: a later trace starts at a later offset than any seen.
    arrivalFloor = Math.max(arrivalFloor, Math.max(0, otherwise));
    return otherwise;
  }

  /** The decision cache's index, kept in this store's RocksDB and wiped with it. */
  DecisionIndex decisionIndex() {
    return new DecisionIndex(db, noWal);
  }

  @Override
  public void close() {
    db.close();
    noWal.close();
    options.close();
    deleteRecursively(dir);
  }

  private byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  private static byte[] key(byte kind, byte[] traceId) {
    return ByteBuffer.allocate(17).put(kind).put(traceId).array();
  }

  /** Kind, big-endian non-negative time or offset (byte order is numeric order), trace ID. */
  private static byte[] timeKey(byte kind, long value, byte[] traceId) {
    return ByteBuffer.allocate(25).put(kind).putLong(Math.max(0, value)).put(traceId).array();
  }

  private IllegalStateException failed(String what, RocksDBException e) {
    return new IllegalStateException("local trace store in " + dir + ": cannot " + what, e);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe the local trace store in " + dir, e);
    }
  }
}
