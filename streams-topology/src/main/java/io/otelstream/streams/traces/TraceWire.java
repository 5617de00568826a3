package io.otelstream.streams.traces;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.schemas.wire.InvalidWireException;
import io.otelstream.schemas.wire.TraceFields;
import io.otelstream.schemas.wire.WireReader;
import io.otelstream.schemas.wire.WireValidator;

/**
 * What the processor needs from a record on arrival: that it is a valid trace export, and how many
 * spans it holds. Both come from the wire bytes; the record is parsed only when its trace is
 * decided.
 */
final class TraceWire {
  private static final WireValidator VALIDATOR =
      new WireValidator(ExportTraceServiceRequest.getDescriptor());
  private static final int RESOURCE_SPANS = TraceFields.RESOURCE_SPANS;
  private static final int SCOPE_SPANS = TraceFields.SCOPE_SPANS;
  private static final int SPANS = TraceFields.SPANS;

  private TraceWire() {}

  /** The trace ID of the first span among the records, or null when they hold no span. */
  static byte[] firstTraceId(java.util.List<byte[]> values) {
    for (byte[] value : values) {
      try {
        for (var rs : ExportTraceServiceRequest.parseFrom(value).getResourceSpansList()) {
          for (var ss : rs.getScopeSpansList()) {
            if (ss.getSpansCount() > 0) {
              return ss.getSpans(0).getTraceId().toByteArray();
            }
          }
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        // validated on arrival; a record that still fails holds no span to name the trace
      }
    }
    return null;
  }

  /**
   * The number of spans in a valid ExportTraceServiceRequest.
   *
   * @throws InvalidWireException when the value is not one
   */
  static int validSpanCount(byte[] value) {
    if (value == null) {
      throw new InvalidWireException("the record has no value");
    }
    VALIDATOR.validate(value);
    int spans = 0;
    WireReader request = new WireReader(value, 0, value.length);
    while (request.hasNext()) {
      int tag = request.readTag();
      if (tag != RESOURCE_SPANS) {
        request.skip(tag);
        continue;
      }
      int length = request.readLength();
      WireReader resource = new WireReader(value, request.pos, request.pos + length);
      request.pos += length;
      while (resource.hasNext()) {
        int t = resource.readTag();
        if (t != SCOPE_SPANS) {
          resource.skip(t);
          continue;
        }
        int scopeLength = resource.readLength();
        WireReader scope = new WireReader(value, resource.pos, resource.pos + scopeLength);
        resource.pos += scopeLength;
        while (scope.hasNext()) {
          int s = scope.readTag();
          if (s == SPANS) {
            spans++;
          }
          scope.skip(s);
        }
      }
    }
    return spans;
  }
}
