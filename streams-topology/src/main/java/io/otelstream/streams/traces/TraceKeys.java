package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.kafka.common.utils.Bytes;

/** Keys of the trace stores: 16-byte trace IDs, with a sequence or a time in front or behind. */
final class TraceKeys {
  private TraceKeys() {}

  /** The 16 trace-ID bytes of a 32-hex record key, or null when the key is not one. */
  static byte[] traceId(byte[] recordKey) {
    if (recordKey == null || recordKey.length != 32) {
      return null;
    }
    try {
      return HexFormat.of()
          .parseHex(new String(recordKey, java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] recordKey(byte[] traceId) {
    return HexFormat.of().formatHex(traceId).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * Fragment key: trace ID then a big-endian sequence number, so a prefix scan reads them in order.
   */
  static Bytes fragment(byte[] traceId, int seq) {
    return Bytes.wrap(ByteBuffer.allocate(20).put(traceId).putInt(seq).array());
  }

  static Bytes trace(byte[] traceId) {
    return Bytes.wrap(traceId);
  }

  /** Time index key: big-endian time (non-negative, so byte order is time order), then trace ID. */
  static Bytes timed(long timeMs, byte[] traceId) {
    return Bytes.wrap(ByteBuffer.allocate(24).putLong(Math.max(0, timeMs)).put(traceId).array());
  }

  static Bytes timeUpperBound(long timeMs) {
    byte[] b = ByteBuffer.allocate(24).putLong(Math.max(0, timeMs)).array();
    for (int i = 8; i < 24; i++) {
      b[i] = (byte) 0xff;
    }
    return Bytes.wrap(b);
  }

  static long timeOf(Bytes timed) {
    return ByteBuffer.wrap(timed.get()).getLong(0);
  }

  static byte[] traceIdOfTimed(Bytes timed) {
    byte[] id = new byte[16];
    System.arraycopy(timed.get(), 8, id, 0, 16);
    return id;
  }
}
