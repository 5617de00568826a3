package io.otelstream.streams.sampling;

import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.schemas.wire.TraceFields;
import io.otelstream.schemas.wire.WireReader;
import java.util.Set;

/**
 * Reads the status codes of the spans in an ExportTraceServiceRequest from its wire bytes, with the
 * merge rules of protobuf decoding (a repeated {@code status} field merges, its last {@code code}
 * wins, an absent code is UNSET), without decoding anything else.
 */
final class SpanStatusWire {
  private static final int RESOURCE_SPANS = TraceFields.RESOURCE_SPANS;
  private static final int SCOPE_SPANS = TraceFields.SCOPE_SPANS;
  private static final int SPANS = TraceFields.SPANS;
  private static final int STATUS = TraceFields.STATUS;
  private static final int CODE = TraceFields.STATUS_CODE;

  private SpanStatusWire() {}

  /** True when a span of the valid request {@code value} has one of {@code codes}. */
  static boolean any(byte[] value, Set<Status.StatusCode> codes) {
    WireReader request = new WireReader(value, 0, value.length);
    while (request.hasNext()) {
      WireReader resource = nested(request, RESOURCE_SPANS);
      while (resource != null && resource.hasNext()) {
        WireReader scope = nested(resource, SCOPE_SPANS);
        while (scope != null && scope.hasNext()) {
          WireReader span = nested(scope, SPANS);
          if (span != null && codes.contains(statusOf(span))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Status.StatusCode statusOf(WireReader span) {
    int code = 0;
    while (span.hasNext()) {
      WireReader status = nested(span, STATUS);
      while (status != null && status.hasNext()) {
        int tag = status.readTag();
        if (tag == CODE) {
          code = (int) status.readVarint();
        } else {
          status.skip(tag);
        }
      }
    }
    Status.StatusCode c = Status.StatusCode.forNumber(code);
    return c == null ? Status.StatusCode.UNRECOGNIZED : c;
  }

  /**
   * Reads the next field of {@code outer}: a reader over its bytes when it has tag {@code tag},
   * else skips it and returns null.
   */
  private static WireReader nested(WireReader outer, int tag) {
    int t = outer.readTag();
    if (t != tag) {
      outer.skip(t);
      return null;
    }
    int length = outer.readLength();
    WireReader inner = new WireReader(outer.buf, outer.pos, outer.pos + length);
    outer.pos += length;
    return inner;
  }
}
