package io.otelstream.perf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed64 timestamps of a pre-encoded request, moved to the send time: templates are built with
 * times just after {@link #BASE} (a 2017 instant no real send time has), and each send writes now +
 * (template time − BASE) into them, so spans, points and log records carry the time they were sent
 * (which the counting receiver measures end-to-end latency from) at the cost of a few writes.
 */
final class TimePatches {
  /** 2017-07-14T02:40:00Z in nanoseconds; template times lie within {@link #SPAN} after it. */
  static final long BASE = 1_500_000_000_000_000_000L;

  private static final long SPAN = 1_000_000_000_000L; // 1,000 s

  private final int[] offsets;
  private final long[] deltas;

  private TimePatches(int[] offsets, long[] deltas) {
    this.offsets = offsets;
    this.deltas = deltas;
  }

  /** Every little-endian fixed64 in the body whose value lies in [BASE, BASE + 1,000 s). */
  static TimePatches find(byte[] body) {
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> offsets = new ArrayList<>();
    List<Long> deltas = new ArrayList<>();
    for (int i = 0; i + 8 <= body.length; i++) {
      long v = buf.getLong(i);
      if (v >= BASE && v < BASE + SPAN) {
        offsets.add(i);
        deltas.add(v - BASE);
        i += 7;
      }
    }
    return new TimePatches(
        offsets.stream().mapToInt(Integer::intValue).toArray(),
        deltas.stream().mapToLong(Long::longValue).toArray());
  }

  int count() {
    return offsets.length;
  }

  /** Writes now + delta into every template time of a copy of the template. */
  void apply(byte[] body, long nowNanos) {
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < offsets.length; i++) {
      buf.putLong(offsets[i], nowNanos + deltas[i]);
    }
  }
}
