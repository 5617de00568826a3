package io.otelstream.streams.spanmetrics;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/** Small helpers shared by the span-derived metrics. */
final class SpanAttributes {
  private SpanAttributes() {}

  static KeyValue text(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static AnyValue value(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  /** A span attribute, else the resource's, else null. */
  static AnyValue spanOrResource(Span span, Resource r, String key) {
    AnyValue v = value(span.getAttributesList(), key);
    return v != null ? v : value(r.getAttributesList(), key);
  }

  static String serviceName(Resource r) {
    AnyValue v = value(r.getAttributesList(), "service.name");
    return v == null ? "" : v.getStringValue();
  }

  /** The span's duration in seconds, never negative (a reversed span counts as 0). */
  static double seconds(Span span) {
    long nanos = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    return Long.compareUnsigned(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()) <= 0
        ? 0
        : nanos / 1e9;
  }

  static Exemplar exemplar(Span span, double value) {
    return Exemplar.newBuilder()
        .setTimeUnixNano(span.getEndTimeUnixNano())
        .setAsDouble(value)
        .setTraceId(span.getTraceId())
        .setSpanId(span.getSpanId())
        .build();
  }
}
