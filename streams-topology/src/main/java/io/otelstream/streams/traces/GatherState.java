package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What is known of a trace while its spans are gathered. Lives only in the task's local store,
 * which is wiped and rebuilt from the input topic at every start, so it never outlives the process
 * that wrote it: a fixed binary layout is enough (the changelogged state is Avro).
 *
 * @param firstSeenMs record timestamp of the trace's first gathered record
 * @param deadlineMs firstSeenMs + decision_wait
 * @param firstOffset input offset of that first record (the trace's place in the low watermark)
 * @param lastOffset input offset of the latest gathered record
 * @param fragments records gathered so far
 * @param spanCount spans gathered so far
 * @param bytes encoded bytes gathered so far
 * @param tenant the tenant header of the first record, or null
 */
record GatherState(
    long firstSeenMs,
    long deadlineMs,
    long firstOffset,
    long lastOffset,
    int fragments,
    int spanCount,
    long bytes,
    String tenant) {

  static GatherState first(long timestampMs, long deadlineMs, long offset, String tenant) {
    return new GatherState(timestampMs, deadlineMs, offset, offset, 0, 0, 0, tenant);
  }

  GatherState plus(long offset, int spans, int recordBytes) {
    return new GatherState(
        firstSeenMs,
        deadlineMs,
        firstOffset,
        Math.max(lastOffset, offset),
        fragments + 1,
        spanCount + spans,
        bytes + recordBytes,
        tenant);
  }

  byte[] encode() {
    byte[] t = tenant == null ? null : tenant.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(48 + 4 + (t == null ? 0 : t.length));
    b.putLong(firstSeenMs).putLong(deadlineMs).putLong(firstOffset).putLong(lastOffset);
    b.putInt(fragments).putInt(spanCount).putLong(bytes);
    b.putInt(t == null ? -1 : t.length);
    if (t != null) {
      b.put(t);
    }
    return b.array();
  }

  static GatherState decode(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value);
    long firstSeen = b.getLong();
    long deadline = b.getLong();
    long firstOffset = b.getLong();
    long lastOffset = b.getLong();
    int fragments = b.getInt();
    int spans = b.getInt();
    long bytes = b.getLong();
    int tenantLength = b.getInt();
    String tenant = null;
    if (tenantLength >= 0) {
      tenant = new String(value, b.position(), tenantLength, StandardCharsets.UTF_8);
    }
    return new GatherState(
        firstSeen, deadline, firstOffset, lastOffset, fragments, spans, bytes, tenant);
  }
}
