package io.otelstream.streams.sampling;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * The spans of one trace, decoded for policy evaluation, with the size the byte-based policies
 * need.
 */
public record TraceData(byte[] traceId, List<SpanWithResource> spans, long encodedBytes) {

  /** One span and the resource it was reported under. */
  public record SpanWithResource(Resource resource, Span span) {}

  public int spanCount() {
    return spans.size();
  }

  /** True when any resource or span attribute with this key satisfies the test. */
  boolean anyAttribute(
      String key, java.util.function.Predicate<io.opentelemetry.proto.common.v1.AnyValue> test) {
    for (SpanWithResource s : spans) {
      if (matches(s.resource().getAttributesList(), key, test)
          || matches(s.span().getAttributesList(), key, test)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(
      List<KeyValue> attributes,
      String key,
      java.util.function.Predicate<io.opentelemetry.proto.common.v1.AnyValue> test) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key) && test.test(kv.getValue())) {
        return true;
      }
    }
    return false;
  }
}
