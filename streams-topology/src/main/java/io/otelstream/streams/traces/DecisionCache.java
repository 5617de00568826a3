package io.otelstream.streams.traces;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decided traces, remembered for the decision cache TTL in the changelogged ts-decisions store so
 * that late spans follow the decision at once, and so that a rebuild from the input topic skips
 * traces already decided. Every change to the store goes through this class.
 *
 * <p>Decisions are kept by slice of expiry time (a quarter of the TTL, the {@link DecisionFilter}'s
 * slices). The traces a task decides together are changelogged as one batch record per slice
 * ({@link DecisionRecords}), written by {@link #flush} before the task's processing returns to
 * Kafka Streams, so in the same transaction as their output; a slice is forgotten whole: its few
 * records deleted, its entries in the {@link DecisionIndex} dropped in one range delete, its filter
 * dropped. Per decision that is no changelog record and no delete of its own. The index and the
 * filter are derived from the store whenever the task starts, so they cost no changelog record.
 *
 * <p>A slice is forgotten only when the TTL of every decision in it has passed <em>and</em> the
 * partition's committed low watermark has passed the last input record any of them covered: a
 * rebuild re-reads the input from that watermark and must find, for every record it meets, the
 * decision live processing met. A decision may so be found up to a slice after its TTL; it then
 * covers no record stamped at or after its expiry, which starts its trace anew, as the TTL says.
 */
final class DecisionCache {
  /** Decisions per batch record at most: about 100 KB with short policy and tenant names. */
  static final int BATCH_SIZE = 2_048;

  /** A batch record's size at most (long names), far below a record's size limit (1 MiB). */
  static final int BATCH_BYTES = 256 * 1024;

  private final KeyValueStore<Bytes, byte[]> store;
  private final DecisionIndex index;
  private final DecisionFilter filter;
  private final TreeMap<Long, Slice> slices = new TreeMap<>();
  private final List<DecisionRecords.Entry> unwritten = new ArrayList<>();
  // Records of slices of another TTL, deleted at the first flush (which writes their decisions).
  private final List<Bytes> replaced = new ArrayList<>();

  /** One cached decision. */
  record Decision(
      boolean sampled,
      String policy,
      long decidedAtMs,
      long expiresAtMs,
      String tenant,
      long lastOffset) {

    /** A record of the trace with this timestamp follows this decision (else it starts anew). */
    boolean covers(long timestampMs) {
      return expiresAtMs > timestampMs;
    }

    Decision coveringUpTo(long offset) {
      return new Decision(sampled, policy, decidedAtMs, expiresAtMs, tenant, offset);
    }
  }

  /** What the cache knows of one slice of expiry time without reading the store. */
  private static final class Slice {
    long lastOffset = -1; // the last input record any of its decisions covers
    long nextSequence; // of its next batch record
    List<Bytes> singleKeys = List.of(); // records of one decision, from releases before batches
  }

  /**
   * Opens the cache over the task's restored decisions, indexing them in {@code index}, which it
   * owns from then on, and filling a filter for a TTL of {@code ttlMs} whose heap changes {@code
   * filterHeap} hears of (one scan of the store: the same order of work as its restore).
   */
  DecisionCache(
      KeyValueStore<Bytes, byte[]> store,
      DecisionIndex index,
      long ttlMs,
      java.util.function.LongConsumer filterHeap) {
    this.store = store;
    this.index = index;
    this.filter = new DecisionFilter(ttlMs, filterHeap);
    // Key order: every batch, then the extended decisions, then single ones; within a slice,
    // batches in the order they were written, so a later decision of a trace replaces an earlier
    // one.
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        byte kind = kv.key.get()[0];
        if (kind == DecisionRecords.BATCH) {
          restoreBatch(kv.key, DecisionRecords.decodeBatch(kv.value));
        } else if (kind == DecisionRecords.COVERED || kind == DecisionRecords.SINGLE) {
          restoreSingle(kind, kv.key, DecisionRecords.decode(kv.value));
        }
      }
    }
  }

  private void restoreBatch(Bytes key, List<DecisionRecords.Entry> entries) {
    long slice = DecisionRecords.sliceOf(key);
    boolean resliced = false;
    for (DecisionRecords.Entry e : entries) {
      resliced |= filter.sliceOf(e.decision().expiresAtMs()) != slice;
    }
    if (!resliced) {
      Slice s = slice(slice);
      s.nextSequence = Math.max(s.nextSequence, DecisionRecords.sequenceOf(key) + 1);
      entries.forEach(e -> hold(slice, e.traceId(), e.decision()));
      return;
    }
    // Written with another TTL, so other slices: written again in this TTL's slices at the first
    // flush, which deletes this record first.
    replaced.add(key);
    for (DecisionRecords.Entry e : entries) {
      hold(filter.sliceOf(e.decision().expiresAtMs()), e.traceId(), e.decision());
      unwritten.add(e);
    }
  }

  private void restoreSingle(byte kind, Bytes key, Decision d) {
    byte[] traceId = DecisionRecords.traceIdOf(key);
    long slice = filter.sliceOf(d.expiresAtMs());
    Decision held = index.get(slice, traceId);
    // Not over a later decision of the trace in the same slice.
    if (held == null || held.expiresAtMs() <= d.expiresAtMs()) {
      hold(slice, traceId, d);
    }
    if (kind == DecisionRecords.SINGLE) {
      Slice s = slice(slice);
      s.singleKeys = s.singleKeys.isEmpty() ? new ArrayList<>() : s.singleKeys;
      s.singleKeys.add(key);
    } else if (DecisionRecords.sliceOf(key) != slice) {
      replaced.add(key); // written with another TTL: written again as its trace's latest entry
      unwritten.add(new DecisionRecords.Entry(traceId, index.get(slice, traceId)));
    }
  }

  Decision lookup(byte[] traceId) {
    if (!filter.mightContain(traceId)) {
      return null; // certain, and nearly every new trace's answer
    }
    for (long slice : filter.slicesMightContain(traceId)) {
      Decision d = index.get(slice, traceId); // the newest decision first
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  /** Holds a new decision; the store has it once {@link #flush} has run. */
  void remember(byte[] traceId, Decision d) {
    hold(filter.sliceOf(d.expiresAtMs()), traceId, d);
    unwritten.add(new DecisionRecords.Entry(traceId, d));
  }

  /** A late record at {@code offset} followed the decision: it covers that offset too. */
  void covered(byte[] traceId, Decision d, long offset) {
    if (offset > d.lastOffset()) {
      long slice = filter.sliceOf(d.expiresAtMs());
      Decision extended = d.coveringUpTo(offset);
      hold(slice, traceId, extended);
      store.put(DecisionRecords.coveredKey(slice, traceId), DecisionRecords.encode(extended));
    }
  }

  /**
   * Writes the decisions remembered since the last flush to the store, one batch record per slice
   * and {@link #BATCH_SIZE} decisions or {@link #BATCH_BYTES}. The processor calls it before it
   * returns to Kafka Streams, so they are committed with the output they decided.
   */
  void flush() {
    replaced.forEach(store::delete);
    replaced.clear();
    if (unwritten.isEmpty()) {
      return;
    }
    Map<Long, List<DecisionRecords.Entry>> bySlice = new TreeMap<>();
    for (DecisionRecords.Entry e : unwritten) {
      bySlice
          .computeIfAbsent(filter.sliceOf(e.decision().expiresAtMs()), x -> new ArrayList<>())
          .add(e);
    }
    unwritten.clear();
    bySlice.forEach(
        (slice, entries) -> {
          int from = 0;
          int bytes = 0;
          for (int i = 0; i < entries.size(); i++) {
            int size = DecisionRecords.sizeAtMost(entries.get(i));
            if (i > from && (i - from == BATCH_SIZE || bytes + size > BATCH_BYTES)) {
              write(slice, entries.subList(from, i));
              from = i;
              bytes = 0;
            }
            bytes += size;
          }
          write(slice, entries.subList(from, entries.size()));
        });
  }

  private void write(long slice, List<DecisionRecords.Entry> batch) {
    store.put(
        DecisionRecords.batchKey(slice, slice(slice).nextSequence++),
        DecisionRecords.encodeBatch(batch));
  }

  /** The task closes: the filter's heap goes (the store and the index are closed by others). */
  void close() {
    unwritten.clear(); // only after an error: processing flushes before it returns
    replaced.clear();
    filter.clear();
  }

  /**
   * Forgets the slices whose every decision's TTL passed by {@code timeMs} and whose last covered
   * record lies before {@code lowWatermark}; the others stay until the watermark passes them.
   */
  void expire(long timeMs, long lowWatermark) {
    flush(); // nothing it holds is due, but a slice's records are deleted by key range
    for (Iterator<Map.Entry<Long, Slice>> it = slices.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Slice> e = it.next();
      long slice = e.getKey();
      if (filter.sliceEndMs(slice) - 1 > timeMs) {
        return; // this slice and every later one hold a decision not yet due
      }
      if (e.getValue().lastOffset >= lowWatermark) {
        continue; // a rebuild could still meet a record one of its decisions covered
      }
      deleteRecords(DecisionRecords.BATCH, slice);
      deleteRecords(DecisionRecords.COVERED, slice);
      e.getValue().singleKeys.forEach(store::delete);
      index.removeSlice(slice);
      filter.forget(slice);
      it.remove();
    }
  }

  /** The slices of expiry time the cache holds decisions of. */
  int slices() {
    return slices.size();
  }

  private void hold(long slice, byte[] traceId, Decision d) {
    index.put(slice, traceId, d);
    filter.add(d.expiresAtMs(), traceId);
    Slice s = slice(slice);
    s.lastOffset = Math.max(s.lastOffset, d.lastOffset());
  }

  private Slice slice(long slice) {
    return slices.computeIfAbsent(slice, x -> new Slice());
  }

  private void deleteRecords(byte kind, long slice) {
    List<Bytes> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(
            DecisionRecords.slicePrefix(kind, slice),
            DecisionRecords.slicePrefix(kind, slice + 1))) {
      while (it.hasNext()) {
        keys.add(it.next().key);
      }
    }
    keys.forEach(store::delete);
  }
}
