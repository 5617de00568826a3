package io.otelstream.schemas.wire;

import com.google.protobuf.ByteString;

/**
 * The OTLP trace wire contract the edge and the streams app read without a full parse: the field
 * tags on the path from an ExportTraceServiceRequest to a span's IDs and status (numbers from
 * opentelemetry-proto's trace.proto), and the ID rules of the OTLP specification.
 */
public final class TraceFields {
  /** ExportTraceServiceRequest.resource_spans (1). */
  public static final int RESOURCE_SPANS = 1 << 3 | WireReader.LEN;

  /** ResourceSpans.scope_spans (2). */
  public static final int SCOPE_SPANS = 2 << 3 | WireReader.LEN;

  /** ScopeSpans.spans (2). */
  public static final int SPANS = 2 << 3 | WireReader.LEN;

  /** Span.trace_id (1). */
  public static final int TRACE_ID = 1 << 3 | WireReader.LEN;

  /** Span.span_id (2). */
  public static final int SPAN_ID = 2 << 3 | WireReader.LEN;

  /** Span.status (15). */
  public static final int STATUS = 15 << 3 | WireReader.LEN;

  /** Status.code (3). */
  public static final int STATUS_CODE = 3 << 3 | WireReader.VARINT;

  public static final int TRACE_ID_BYTES = 16;
  public static final int SPAN_ID_BYTES = 8;

  private TraceFields() {}

  /** An ID of {@code expected} bytes, not all zero, at {@code b[offset..offset+length)}. */
  public static boolean validId(byte[] b, int offset, int length, int expected) {
    if (offset < 0 || length != expected) {
      return false;
    }
    for (int i = offset; i < offset + length; i++) {
      if (b[i] != 0) {
        return true;
      }
    }
    return false;
  }

  /** An ID of {@code expected} bytes, not all zero. */
  public static boolean validId(ByteString id, int expected) {
    if (id.size() != expected) {
      return false;
    }
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }
}
