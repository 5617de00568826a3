package io.otelstream.edge;

import com.google.protobuf.ByteString;

/** Trace and span ID rules of the OTLP specification. */
final class Ids {
  private Ids() {}

  static boolean validTraceId(ByteString id) {
    return id.size() == 16 && !allZero(id);
  }

  static boolean validSpanId(ByteString id) {
    return id.size() == 8 && !allZero(id);
  }

  /** Log records may omit IDs; present ones must be valid. */
  static boolean validOptionalTraceId(ByteString id) {
    return id.isEmpty() || validTraceId(id);
  }

  static boolean validOptionalSpanId(ByteString id) {
    return id.isEmpty() || validSpanId(id);
  }

  private static boolean allZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
