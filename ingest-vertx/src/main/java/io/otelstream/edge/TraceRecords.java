package io.otelstream.edge;

import io.otelstream.schemas.RecordKeys;
import io.otelstream.schemas.wire.TraceFields;
import io.otelstream.schemas.wire.WireReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an encoded trace export into one record per trace ID (more when a trace would exceed the
 * record limit), each keeping its spans' resource and scope, keyed by the 32-hex trace ID. Works on
 * the wire bytes: spans, resources and scopes are copied, never decoded and re-encoded. The body
 * must already have been validated as an ExportTraceServiceRequest.
 */
final class TraceRecords {
  private TraceRecords() {}

  static Batch split(byte[] body, int maxRecordBytes) {
    Batch batch = new Batch();
    Map<ByteBuffer, Group> groups = new LinkedHashMap<>();
    WireReader request = new WireReader(body, 0, body.length);
    while (request.hasNext()) {
      int tag = request.readTag();
      if (tag == TraceFields.RESOURCE_SPANS) {
        int length = request.readLength();
        resourceSpans(body, request.pos, request.pos + length, groups, batch, maxRecordBytes);
        request.pos += length;
      } else {
        request.skip(tag);
      }
    }
    for (Group g : groups.values()) {
      g.flush(batch);
    }
    return batch;
  }

  private static void resourceSpans(
      byte[] b, int start, int end, Map<ByteBuffer, Group> groups, Batch batch, int max) {
    Context resource = new Context(b);
    List<int[]> scopes = new ArrayList<>();
    WireReader r = new WireReader(b, start, end);
    while (r.hasNext()) {
      int fieldStart = r.pos;
      int tag = r.readTag();
      r.skip(tag);
      switch (tag) {
        case TraceFields.SCOPE_SPANS -> scopes.add(payload(b, fieldStart, r.pos));
        default -> resource.header(fieldStart, r.pos); // resource, schema_url, unknown fields
      }
    }
    for (int[] scope : scopes) {
      scopeSpans(b, scope[0], scope[1], resource, groups, batch, max);
    }
  }

  private static void scopeSpans(
      byte[] b,
      int start,
      int end,
      Context resource,
      Map<ByteBuffer, Group> groups,
      Batch batch,
      int max) {
    Context scope = new Context(b);
    List<int[]> spans = new ArrayList<>();
    WireReader r = new WireReader(b, start, end);
    while (r.hasNext()) {
      int fieldStart = r.pos;
      int tag = r.readTag();
      r.skip(tag);
      switch (tag) {
        case TraceFields.SPANS -> spans.add(payload(b, fieldStart, r.pos));
        default -> scope.header(fieldStart, r.pos); // scope, schema_url, unknown fields
      }
    }
    for (int[] span : spans) {
      span(b, span[0], span[1], resource, scope, groups, batch, max);
    }
  }

  private static void span(
      byte[] b,
      int start,
      int end,
      Context resource,
      Context scope,
      Map<ByteBuffer, Group> groups,
      Batch batch,
      int max) {
    batch.items++;
    int traceId = -1;
    int traceIdLength = 0;
    int spanId = -1;
    int spanIdLength = 0;
    WireReader r = new WireReader(b, start, end);
    while (r.hasNext() && (traceId < 0 || spanId < 0)) {
      int tag = r.readTag();
      if (tag == TraceFields.TRACE_ID) {
        traceIdLength = r.readLength();
        traceId = r.pos;
        r.pos += traceIdLength;
      } else if (tag == TraceFields.SPAN_ID) {
        spanIdLength = r.readLength();
        spanId = r.pos;
        r.pos += spanIdLength;
      } else {
        r.skip(tag);
      }
    }
    if (!TraceFields.validId(b, traceId, traceIdLength, TraceFields.TRACE_ID_BYTES)) {
      batch.reject(1, "a span has an invalid trace ID: " + describe(traceIdLength, 16));
      return;
    }
    if (!TraceFields.validId(b, spanId, spanIdLength, TraceFields.SPAN_ID_BYTES)) {
      batch.reject(1, "a span has an invalid span ID: " + describe(spanIdLength, 8));
      return;
    }
    int spanSize = WireReader.framed(end - start);
    if (spanSize + resource.headerBytes() + scope.headerBytes() + 32 > max) {
      batch.reject(1, "a span alone is larger than the record limit of " + max + " bytes");
      return;
    }
    int traceIdOffset = traceId;
    ByteBuffer key = ByteBuffer.wrap(b, traceIdOffset, 16).slice();
    groups
        .computeIfAbsent(key, k -> new Group(b, traceIdOffset))
        .add(resource, scope, start, end, max, batch);
  }

  static String describe(int length, int expected) {
    return length != expected
        ? "must be " + expected + " bytes, was " + Math.max(0, length)
        : "must not be all zero";
  }

  /** [payloadStart, payloadEnd) of the length-delimited field spanning [fieldStart, fieldEnd). */
  private static int[] payload(byte[] b, int fieldStart, int fieldEnd) {
    WireReader r = new WireReader(b, fieldStart, fieldEnd);
    r.readTag();
    int length = r.readLength();
    return new int[] {r.pos, r.pos + length};
  }

  /** The non-repeated fields of a resource or scope level, copied verbatim into every record. */
  private static final class Context {
    private final byte[] b;
    private final List<int[]> headers = new ArrayList<>(2);
    private int headerBytes;

    Context(byte[] b) {
      this.b = b;
    }

    void header(int start, int end) {
      headers.add(new int[] {start, end});
      headerBytes += end - start;
    }

    int headerBytes() {
      return headerBytes;
    }

    int writeHeaders(byte[] out, int pos) {
      for (int[] h : headers) {
        System.arraycopy(b, h[0], out, pos, h[1] - h[0]);
        pos += h[1] - h[0];
      }
      return pos;
    }
  }

  /** The spans of one trace gathered so far, as resource blocks of scope blocks of span ranges. */
  private static final class Group {
    private final byte[] b;
    private final byte[] key;
    private final List<ResourceBlock> blocks = new ArrayList<>();
    private long estimate;

    Group(byte[] b, int traceIdOffset) {
      this.b = b;
      byte[] id = new byte[16];
      System.arraycopy(b, traceIdOffset, id, 0, 16);
      this.key = RecordKeys.traceKey(com.google.protobuf.ByteString.copyFrom(id));
    }

    void add(Context resource, Context scope, int start, int end, int max, Batch batch) {
      ResourceBlock last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
      boolean sameResource = last != null && last.resource == resource;
      ScopeBlock lastScope = sameResource ? last.scopes.get(last.scopes.size() - 1) : null;
      boolean sameScope = lastScope != null && lastScope.scope == scope;
      long added =
          WireReader.framed(end - start)
              + (sameScope ? 0 : scope.headerBytes() + 8)
              + (sameResource ? 0 : resource.headerBytes() + 8);
      if (!blocks.isEmpty() && estimate + added > max) {
        flush(batch);
        add(resource, scope, start, end, max, batch);
        return;
      }
      if (!sameResource) {
        last = new ResourceBlock(resource);
        blocks.add(last);
      }
      if (!sameScope) {
        lastScope = new ScopeBlock(scope);
        last.scopes.add(lastScope);
      }
      lastScope.spans.add(new int[] {start, end});
      estimate += added;
    }

    void flush(Batch batch) {
      if (blocks.isEmpty()) {
        return;
      }
      int total = 0;
      for (ResourceBlock rb : blocks) {
        total += WireReader.framed(rb.size());
      }
      byte[] out = new byte[total];
      int pos = 0;
      for (ResourceBlock rb : blocks) {
        pos = writeFramed(out, pos, 1, rb.size());
        pos = rb.resource.writeHeaders(out, pos);
        for (ScopeBlock sb : rb.scopes) {
          pos = writeFramed(out, pos, 2, sb.size());
          pos = sb.scope.writeHeaders(out, pos);
          for (int[] s : sb.spans) {
            pos = writeFramed(out, pos, 2, s[1] - s[0]);
            System.arraycopy(b, s[0], out, pos, s[1] - s[0]);
            pos += s[1] - s[0];
          }
        }
      }
      batch.add(key, out);
      blocks.clear();
      estimate = 0;
    }

    private static int writeFramed(byte[] out, int pos, int field, int length) {
      out[pos++] = (byte) (field << 3 | WireReader.LEN);
      long v = length;
      while ((v & ~0x7FL) != 0) {
        out[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out[pos++] = (byte) v;
      return pos;
    }
  }

  private static final class ResourceBlock {
    final Context resource;
    final List<ScopeBlock> scopes = new ArrayList<>(1);

    ResourceBlock(Context resource) {
      this.resource = resource;
    }

    int size() {
      int size = resource.headerBytes();
      for (ScopeBlock sb : scopes) {
        size += WireReader.framed(sb.size());
      }
      return size;
    }
  }

  private static final class ScopeBlock {
    final Context scope;
    final List<int[]> spans = new ArrayList<>();

    ScopeBlock(Context scope) {
      this.scope = scope;
    }

    int size() {
      int size = scope.headerBytes();
      for (int[] s : spans) {
        size += WireReader.framed(s[1] - s[0]);
      }
      return size;
    }
  }
}
