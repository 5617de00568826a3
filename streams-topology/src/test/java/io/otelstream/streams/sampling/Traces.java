package io.otelstream.streams.sampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds TraceData for policy tests. */
final class Traces {
  private final byte[] traceId;
  private final List<TraceData.SpanWithResource> spans = new ArrayList<>();
  private Resource resource = Resource.getDefaultInstance();

  private Traces(String hexTraceId) {
    this.traceId = HexFormat.of().parseHex(hexTraceId);
  }

  static Traces trace() {
    return new Traces("0102030405060708090a0b0c0d0e0f10");
  }

  static Traces trace(String hexTraceId) {
    return new Traces(hexTraceId);
  }

  Traces resource(String key, AnyValue value) {
    resource =
        Resource.newBuilder()
            .addAttributes(KeyValue.newBuilder().setKey(key).setValue(value))
            .build();
    return this;
  }

  Traces span(Span.Builder span) {
    spans.add(
        new TraceData.SpanWithResource(
            resource,
            span.setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(
                    ByteString.copyFrom(
                        new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) (spans.size() + 1)}))
                .build()));
    return this;
  }

  static Span.Builder span(long startMs, long endMs) {
    return Span.newBuilder()
        .setName("s")
        .setStartTimeUnixNano(startMs * 1_000_000)
        .setEndTimeUnixNano(endMs * 1_000_000);
  }

  static Span.Builder withAttr(Span.Builder s, String key, AnyValue v) {
    return s.addAttributes(KeyValue.newBuilder().setKey(key).setValue(v));
  }

  static Span.Builder withStatus(Span.Builder s, Status.StatusCode code) {
    return s.setStatus(Status.newBuilder().setCode(code));
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue num(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  static AnyValue bool(boolean b) {
    return AnyValue.newBuilder().setBoolValue(b).build();
  }

  /** The trace as the sampler gets it: one export request (one record) per span. */
  TraceData build() {
    List<byte[]> fragments = new ArrayList<>();
    for (TraceData.SpanWithResource s : spans) {
      fragments.add(
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  ResourceSpans.newBuilder()
                      .setResource(s.resource())
                      .addScopeSpans(ScopeSpans.newBuilder().addSpans(s.span())))
              .build()
              .toByteArray());
    }
    return TraceData.of(traceId, fragments, spans.size());
  }
}
