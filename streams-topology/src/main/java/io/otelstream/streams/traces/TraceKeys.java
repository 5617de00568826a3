package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the trace stores: 16-byte trace IDs, alone or with a sequence behind (TimeIndex has the
 * time keys).
 */
final class TraceKeys {
  private TraceKeys() {}

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
