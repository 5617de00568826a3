package io.otelstream.streams.sampling;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One gathered trace as the policies see it: its trace ID, span count and encoded size at once, and
 * its spans decoded only when a policy first asks for them. Decoding (UTF-8 validation and copying
 * of every string) is most of a decision's cost, and the common policies (status code,
 * probabilistic, span count, rate and byte limits) need none of it.
 */
public final class TraceData {
  /** One span and the resource it was reported under. */
  public record SpanWithResource(Resource resource, Span span) {}

  private final byte[] traceId;
  private final List<byte[]> fragments;
  private final int spanCount;
  private final long encodedBytes;
  private List<SpanWithResource> spans;

  private TraceData(byte[] traceId, List<byte[]> fragments, int spanCount) {
    this.traceId = traceId;
    this.fragments = fragments;
    this.spanCount = spanCount;
    long bytes = 0;
    for (byte[] f : fragments) {
      bytes += f.length;
    }
    this.encodedBytes = bytes;
  }

  /**
   * A trace from its records' values (valid ExportTraceServiceRequests, as the input was validated
   * on arrival) holding {@code spanCount} spans together.
   */
  public static TraceData of(byte[] traceId, List<byte[]> fragments, int spanCount) {
    return new TraceData(traceId, fragments, spanCount);
  }

  public byte[] traceId() {
    return traceId;
  }

  public int spanCount() {
    return spanCount;
  }

  /** The size of the trace's records, as the byte-based policies count it. */
  public long encodedBytes() {
    return encodedBytes;
  }

  /** The decoded spans, decoded on the first call. */
  public List<SpanWithResource> spans() {
    if (spans == null) {
      spans = decode(fragments, spanCount);
    }
    return spans;
  }

  /** True when any span's status code is one of {@code codes}; read from the wire, no decoding. */
  public boolean anyStatus(Set<Status.StatusCode> codes) {
    if (spans != null) {
      for (SpanWithResource s : spans) {
        if (codes.contains(s.span().getStatus().getCode())) {
          return true;
        }
      }
      return false;
    }
    for (byte[] fragment : fragments) {
      if (SpanStatusWire.any(fragment, codes)) {
        return true;
      }
    }
    return false;
  }

  /** True when any resource or span attribute with this key satisfies the test. */
  boolean anyAttribute(
      String key, java.util.function.Predicate<io.opentelemetry.proto.common.v1.AnyValue> test) {
    for (SpanWithResource s : spans()) {
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

  private static List<SpanWithResource> decode(List<byte[]> fragments, int spanCount) {
    List<SpanWithResource> out = new ArrayList<>(spanCount);
    for (byte[] fragment : fragments) {
      try {
        for (ResourceSpans rs :
            ExportTraceServiceRequest.parseFrom(fragment).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span s : ss.getSpansList()) {
              out.add(new SpanWithResource(rs.getResource(), s));
            }
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a validated fragment does not decode", e);
      }
    }
    return out;
  }
}
