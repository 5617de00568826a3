package io.otelstream.streams.traces;

import io.otelstream.schemas.AvroState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decided traces, remembered for the decision cache TTL in the changelogged ts-decisions store so
 * that late spans follow the decision at once, and so that a rebuild from the input topic skips
 * traces already decided. Their expiry index lives in the task's {@link LocalTraceStore}, and a
 * {@link DecisionFilter} on the heap says which traces may have a decision: both are derived from
 * the decisions, so they are built again from them whenever the task starts instead of costing
 * changelog records. Every change to the store goes through this class, which keeps both exact: one
 * index entry per decision, and no decision the filter denies.
 *
 * <p>A decision is forgotten only when its TTL has passed <em>and</em> the partition's committed
 * low watermark has passed the last input record it covered: a rebuild re-reads the input from that
 * watermark and must find, for every record it meets, the same decision live processing met.
 */
final class DecisionCache {
  private static final byte DECISION = 'T';

  private final KeyValueStore<Bytes, byte[]> store;
  private final DecisionExpiryIndex expiry;
  private final DecisionFilter filter;
  // Expiry entries are deleted from the low end; scans start at the lowest one that may be live.
  private long expiryFloor;

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
  }

  /**
   * Opens the cache over the task's restored decisions, indexing their expiries in {@code expiry},
   * which it owns from then on, and filling a filter for a TTL of {@code ttlMs} whose heap changes
   * {@code filterHeap} hears of (one scan of the decisions: the same order of work as their
   * restore).
   */
  DecisionCache(
      KeyValueStore<Bytes, byte[]> store,
      DecisionExpiryIndex expiry,
      long ttlMs,
      java.util.function.LongConsumer filterHeap) {
    this.store = store;
    this.expiry = expiry;
    this.filter = new DecisionFilter(ttlMs, filterHeap);
    long floor = Long.MAX_VALUE;
    try (KeyValueIterator<Bytes, byte[]> it =
        store.prefixScan(Bytes.wrap(new byte[] {DECISION}), new BytesSerializer())) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        Decision d = decode(kv.value);
        byte[] traceId = traceIdOf(kv.key);
        expiry.put(d.expiresAtMs(), traceId, d.lastOffset());
        filter.add(d.expiresAtMs(), traceId);
        floor = Math.min(floor, d.expiresAtMs());
      }
    }
    expiryFloor = floor == Long.MAX_VALUE ? 0 : floor;
  }

  Decision lookup(byte[] traceId) {
    if (!filter.mightContain(traceId)) {
      return null; // certain, and nearly every new trace's answer
    }
    byte[] v = store.get(key(traceId));
    return v == null ? null : decode(v);
  }

  void remember(byte[] traceId, Decision d) {
    Decision replaced = lookup(traceId); // a trace decided again after its TTL
    if (replaced != null && replaced.expiresAtMs() != d.expiresAtMs()) {
      expiry.remove(replaced.expiresAtMs(), traceId);
    }
    store.put(key(traceId), encode(d));
    expiry.put(d.expiresAtMs(), traceId, d.lastOffset());
    filter.add(d.expiresAtMs(), traceId);
    expiryFloor = Math.min(expiryFloor, d.expiresAtMs());
  }

  /** A late record at {@code offset} followed the decision: it covers that offset too. */
  void covered(byte[] traceId, Decision d, long offset) {
    if (offset > d.lastOffset()) {
      store.put(
          key(traceId),
          encode(
              new Decision(
                  d.sampled(), d.policy(), d.decidedAtMs(), d.expiresAtMs(), d.tenant(), offset)));
      expiry.put(d.expiresAtMs(), traceId, offset);
    }
  }

  /** The task closes: the filter's heap goes (the store and the index are closed by others). */
  void close() {
    filter.clear();
  }

  /**
   * Forgets the decisions whose TTL passed by {@code timeMs} and whose last covered record lies
   * before {@code lowWatermark}; the others stay until the watermark passes them.
   */
  void expire(long timeMs, long lowWatermark) {
    if (timeMs < expiryFloor) {
      return;
    }
    long blocked = Long.MAX_VALUE;
    List<DecisionExpiryIndex.Entry> forgotten = new ArrayList<>();
    for (DecisionExpiryIndex.Entry e : expiry.range(expiryFloor, timeMs)) {
      if (e.lastOffset() >= lowWatermark) {
        blocked = Math.min(blocked, e.timeMs());
        continue; // a rebuild could still meet a record this decision covered
      }
      store.delete(key(e.traceId()));
      forgotten.add(e);
    }
    // The entries before the first blocked one's time go in one call, the rest one by one.
    long unblockedEnd = Math.min(timeMs, blocked - 1);
    if (unblockedEnd >= expiryFloor) {
      expiry.removeRange(expiryFloor, unblockedEnd);
    }
    for (DecisionExpiryIndex.Entry e : forgotten) {
      if (e.timeMs() > unblockedEnd) {
        expiry.remove(e.timeMs(), e.traceId());
      }
    }
    expiryFloor = Math.min(blocked, timeMs + 1);
    filter.forgetBefore(expiryFloor);
  }

  private static byte[] traceIdOf(Bytes key) {
    return java.util.Arrays.copyOfRange(key.get(), 1, 17);
  }

  private static Bytes key(byte[] traceId) {
    return Bytes.wrap(ByteBuffer.allocate(17).put(DECISION).put(traceId).array());
  }

  private static byte[] encode(Decision d) {
    GenericRecord r = AvroState.TRACE_DECISION.newRecord();
    r.put("sampled", d.sampled());
    r.put("policy", d.policy());
    r.put("decidedAtMs", d.decidedAtMs());
    r.put("expiresAtMs", d.expiresAtMs());
    r.put("tenant", d.tenant());
    r.put("lastOffset", d.lastOffset());
    return AvroState.TRACE_DECISION.encode(r);
  }

  private static Decision decode(byte[] v) {
    GenericRecord r = AvroState.TRACE_DECISION.decode(v);
    return new Decision(
        (boolean) r.get("sampled"),
        r.get("policy") == null ? null : r.get("policy").toString(),
        (long) r.get("decidedAtMs"),
        (long) r.get("expiresAtMs"),
        r.get("tenant") == null ? null : r.get("tenant").toString(),
        (long) r.get("lastOffset"));
  }
}
