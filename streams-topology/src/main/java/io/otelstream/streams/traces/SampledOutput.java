package io.otelstream.streams.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the output records of a kept trace. Fragments are ExportTraceServiceRequests; concatenated
 * protobuf messages merge their repeated fields, so fragments are joined as bytes and cut into
 * several records when one would pass the record limit. A fragment that alone passes it (for
 * instance once tailsampling.policy is added) is split span by span; a single span larger than the
 * limit cannot be written anywhere and is counted as dropped.
 */
final class SampledOutput {
  static final String POLICY_ATTRIBUTE = "tailsampling.policy";

  /** The record values, and the spans that did not fit any record. */
  record Records(List<byte[]> values, int droppedSpans) {}

  private SampledOutput() {}

  static Records records(List<byte[]> fragments, int maxRecordBytes, String policyAttribute) {
    List<byte[]> out = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    int dropped = 0;
    for (byte[] f : fragments) {
      List<byte[]> pieces = new ArrayList<>();
      byte[] fragment = policyAttribute == null ? f : withPolicy(f, policyAttribute);
      if (fragment.length <= maxRecordBytes) {
        pieces.add(fragment);
      } else {
        dropped += splitBySpan(fragment, maxRecordBytes, pieces);
      }
      for (byte[] piece : pieces) {
        if (current.size() > 0 && current.size() + piece.length > maxRecordBytes) {
          out.add(current.toByteArray());
          current.reset();
        }
        current.writeBytes(piece);
      }
    }
    if (current.size() > 0) {
      out.add(current.toByteArray());
    }
    return new Records(out, dropped);
  }

  /** One request per span, each with its resource and scope; returns the spans too large alone. */
  private static int splitBySpan(byte[] fragment, int maxRecordBytes, List<byte[]> pieces) {
    int dropped = 0;
    for (ResourceSpans rs : parse(fragment).getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          byte[] one =
              ExportTraceServiceRequest.newBuilder()
                  .addResourceSpans(
                      rs.toBuilder()
                          .clearScopeSpans()
                          .addScopeSpans(ss.toBuilder().clearSpans().addSpans(s)))
                  .build()
                  .toByteArray();
          if (one.length <= maxRecordBytes) {
            pieces.add(one);
          } else {
            dropped++;
          }
        }
      }
    }
    return dropped;
  }

  private static byte[] withPolicy(byte[] fragment, String policy) {
    ExportTraceServiceRequest.Builder b = parse(fragment).toBuilder();
    KeyValue attribute =
        KeyValue.newBuilder()
            .setKey(POLICY_ATTRIBUTE)
            .setValue(AnyValue.newBuilder().setStringValue(policy))
            .build();
    b.getResourceSpansBuilderList()
        .forEach(
            rs ->
                rs.getScopeSpansBuilderList()
                    .forEach(
                        ss -> ss.getSpansBuilderList().forEach(s -> s.addAttributes(attribute))));
    return b.build().toByteArray();
  }

  private static ExportTraceServiceRequest parse(byte[] fragment) {
    try {
      return ExportTraceServiceRequest.parseFrom(fragment);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a validated fragment does not decode", e);
    }
  }
}
