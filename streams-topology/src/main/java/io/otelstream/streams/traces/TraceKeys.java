package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the trace stores: 16-byte trace IDs, alone or with a sequence behind (TimeIndex has the
 * time keys).
 */
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
}
