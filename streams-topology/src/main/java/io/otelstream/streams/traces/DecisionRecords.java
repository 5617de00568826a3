package io.otelstream.streams.traces;

import io.otelstream.schemas.AvroState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * The ts-decisions store's keys and values: what the {@link DecisionCache} changelogs.
 *
 * <ul>
 *   <li>{@code B} slice, sequence: a batch of decisions expiring in that slice of the TTL (Avro
 *       {@code TraceDecisionBatch}), written once for the traces a task decided together;
 *   <li>{@code C} slice, trace ID: a decision of that slice extended by a late record (Avro {@code
 *       TraceDecision}), which replaces the trace's entry in the slice's batch;
 *   <li>{@code T} trace ID: one decision (Avro {@code TraceDecision}), as releases before batches
 *       wrote every decision; still read, and deleted with its slice.
 * </ul>
 *
 * Slices and sequences are big-endian, so a slice's records are one key range.
 */
final class DecisionRecords {
  static final byte BATCH = 'B';
  static final byte COVERED = 'C';
  static final byte SINGLE = 'T';

  private static final Schema ENTRY =
      AvroState.TRACE_DECISION_BATCH.schema().getField("decisions").schema().getElementType();
  private static final Schema TRACE_ID = ENTRY.getField("traceId").schema();

  private DecisionRecords() {}

  /** One decision of a trace, as a batch holds it. */
  record Entry(byte[] traceId, DecisionCache.Decision decision) {}

  static Bytes batchKey(long slice, long sequence) {
    return Bytes.wrap(ByteBuffer.allocate(17).put(BATCH).putLong(slice).putLong(sequence).array());
  }

  static Bytes coveredKey(long slice, byte[] traceId) {
    return Bytes.wrap(ByteBuffer.allocate(25).put(COVERED).putLong(slice).put(traceId).array());
  }

  /** The first key of {@code kind}'s records of {@code slice}, and (slice + 1) its end. */
  static Bytes slicePrefix(byte kind, long slice) {
    return Bytes.wrap(ByteBuffer.allocate(9).put(kind).putLong(slice).array());
  }

  static long sliceOf(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong(1);
  }

  static long sequenceOf(Bytes batchKey) {
    return ByteBuffer.wrap(batchKey.get()).getLong(9);
  }

  /** The trace ID of a {@code C} or {@code T} key. */
  static byte[] traceIdOf(Bytes key) {
    byte[] k = key.get();
    return Arrays.copyOfRange(k, k.length - 16, k.length);
  }

  /** An entry's encoded size at most: its trace ID, five fields, and its names' UTF-8. */
  static int sizeAtMost(Entry e) {
    return 16
        + 1
        + 3 * 10
        + 2 * 6
        + utf8AtMost(e.decision().policy())
        + utf8AtMost(e.decision().tenant());
  }

  private static int utf8AtMost(String s) {
    return s == null ? 0 : 3 * s.length();
  }

  static byte[] encodeBatch(List<Entry> entries) {
    List<GenericRecord> records = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      GenericRecord r = put(new GenericData.Record(ENTRY), e.decision());
      r.put("traceId", new GenericData.Fixed(TRACE_ID, e.traceId()));
      records.add(r);
    }
    GenericRecord batch = AvroState.TRACE_DECISION_BATCH.newRecord();
    batch.put("decisions", records);
    return AvroState.TRACE_DECISION_BATCH.encode(batch);
  }

  static List<Entry> decodeBatch(byte[] value) {
    @SuppressWarnings("unchecked")
    List<GenericRecord> records =
        (List<GenericRecord>) AvroState.TRACE_DECISION_BATCH.decode(value).get("decisions");
    List<Entry> out = new ArrayList<>(records.size());
    for (GenericRecord r : records) {
      out.add(new Entry(((GenericData.Fixed) r.get("traceId")).bytes(), decision(r)));
    }
    return out;
  }

  static byte[] encode(DecisionCache.Decision d) {
    return AvroState.TRACE_DECISION.encode(put(AvroState.TRACE_DECISION.newRecord(), d));
  }

  static DecisionCache.Decision decode(byte[] v) {
    return decision(AvroState.TRACE_DECISION.decode(v));
  }

  /** The decision's fields, which a TraceDecision and a batch's entry name alike. */
  private static GenericRecord put(GenericRecord r, DecisionCache.Decision d) {
    r.put("sampled", d.sampled());
    r.put("policy", d.policy());
    r.put("decidedAtMs", d.decidedAtMs());
    r.put("expiresAtMs", d.expiresAtMs());
    r.put("tenant", d.tenant());
    r.put("lastOffset", d.lastOffset());
    return r;
  }

  private static DecisionCache.Decision decision(GenericRecord r) {
    return new DecisionCache.Decision(
        (boolean) r.get("sampled"),
        string(r.get("policy")),
        (long) r.get("decidedAtMs"),
        (long) r.get("expiresAtMs"),
        string(r.get("tenant")),
        (long) r.get("lastOffset"));
  }

  private static String string(Object v) {
    return v == null ? null : v.toString();
  }
}
