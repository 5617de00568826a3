package io.otelstream.edge;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.RecordKeys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits a trace export into one record per trace ID (more when a trace would exceed the record
 * limit), each keeping its spans' resource and scope, keyed by the 32-hex trace ID.
 */
final class TraceRecords {
  private TraceRecords() {}

  static Batch split(ExportTraceServiceRequest request, int maxRecordBytes) {
    Batch batch = new Batch();
    Map<ByteString, Group> groups = new LinkedHashMap<>();
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans rs = request.getResourceSpans(r);
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        ScopeSpans ss = rs.getScopeSpans(s);
        for (Span span : ss.getSpansList()) {
          batch.items++;
          if (!Ids.validTraceId(span.getTraceId())) {
            batch.reject(
                1,
                "span '"
                    + span.getName()
                    + "' has an invalid trace ID: "
                    + describe(span.getTraceId(), 16));
            continue;
          }
          if (!Ids.validSpanId(span.getSpanId())) {
            batch.reject(
                1,
                "span '"
                    + span.getName()
                    + "' has an invalid span ID: "
                    + describe(span.getSpanId(), 8));
            continue;
          }
          Group g = groups.computeIfAbsent(span.getTraceId(), Group::new);
          if (!g.add(r, rs, s, ss, span, maxRecordBytes, batch)) {
            batch.reject(
                1,
                "span '"
                    + span.getName()
                    + "' alone is larger than the record limit of "
                    + maxRecordBytes
                    + " bytes");
          }
        }
      }
    }
    for (Group g : groups.values()) {
      g.flush(batch);
    }
    return batch;
  }

  static String describe(ByteString id, int expectedBytes) {
    return id.size() != expectedBytes
        ? "must be " + expectedBytes + " bytes, was " + id.size()
        : "must not be all zero";
  }

  /** The spans of one trace collected so far, with their resource and scope. */
  private static final class Group {
    private final ByteString traceId;
    private ExportTraceServiceRequest.Builder request;
    private ResourceSpans.Builder resource;
    private ScopeSpans.Builder scope;
    private int resourceIndex = -1;
    private int scopeIndex = -1;
    private long size;

    Group(ByteString traceId) {
      this.traceId = traceId;
    }

    boolean add(int r, ResourceSpans rs, int s, ScopeSpans ss, Span span, int max, Batch batch) {
      long spanSize = framed(span.getSerializedSize());
      long headerSize =
          framed(rs.getResource().getSerializedSize())
              + framed(ss.getScope().getSerializedSize())
              + 64;
      if (spanSize + headerSize > max) {
        return false;
      }
      boolean newResource = request == null || r != resourceIndex;
      boolean newScope = newResource || s != scopeIndex;
      long added = spanSize + (newResource ? headerSize : newScope ? headerSize / 2 : 0);
      if (request != null && size + added > max) {
        flush(batch);
        newResource = true;
        newScope = true;
        added = spanSize + headerSize;
      }
      if (request == null) {
        request = ExportTraceServiceRequest.newBuilder();
      }
      if (newResource) {
        resource =
            request
                .addResourceSpansBuilder()
                .setResource(rs.getResource())
                .setSchemaUrl(rs.getSchemaUrl());
        resourceIndex = r;
      }
      if (newScope) {
        scope =
            resource.addScopeSpansBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl());
        scopeIndex = s;
      }
      scope.addSpans(span);
      size += added;
      return true;
    }

    void flush(Batch batch) {
      if (request != null) {
        batch.add(RecordKeys.traceKey(traceId), request.build().toByteArray());
        request = null;
        size = 0;
      }
    }

    private static long framed(int length) {
      return 1 + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }
  }
}
