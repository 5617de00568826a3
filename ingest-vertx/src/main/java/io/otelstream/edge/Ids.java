package io.otelstream.edge;

import com.google.protobuf.ByteString;
import io.otelstream.schemas.wire.TraceFields;

/** Trace and span ID rules of the OTLP specification. */
final class Ids {
  private Ids() {}

  static boolean validTraceId(ByteString id) {
    return TraceFields.validId(id, TraceFields.TRACE_ID_BYTES);
  }

  static boolean validSpanId(ByteString id) {
    return TraceFields.validId(id, TraceFields.SPAN_ID_BYTES);
  }

  /** Log records may omit IDs; present ones must be valid. */
  static boolean validOptionalTraceId(ByteString id) {
    return id.isEmpty() || validTraceId(id);
  }

  static boolean validOptionalSpanId(ByteString id) {
    return id.isEmpty() || validSpanId(id);
  }
}
