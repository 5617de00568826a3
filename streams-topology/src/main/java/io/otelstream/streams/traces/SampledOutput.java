package io.otelstream.streams.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the output records of a kept trace. Fragments are ExportTraceServiceRequests; concatenated
 * protobuf messages merge their repeated fields, so fragments are joined as bytes, never decoded,
 * and cut into several records when one would pass the record limit.
 */
final class SampledOutput {
  static final String POLICY_ATTRIBUTE = "tailsampling.policy";

  private SampledOutput() {}

  static List<byte[]> records(List<byte[]> fragments, int maxRecordBytes, String policyAttribute) {
    List<byte[]> out = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    for (byte[] f : fragments) {
      byte[] fragment = policyAttribute == null ? f : withPolicy(f, policyAttribute);
      if (current.size() > 0 && current.size() + fragment.length > maxRecordBytes) {
        out.add(current.toByteArray());
        current.reset();
      }
      current.writeBytes(fragment);
    }
    if (current.size() > 0) {
      out.add(current.toByteArray());
    }
    return out;
  }

  private static byte[] withPolicy(byte[] fragment, String policy) {
    try {
      ExportTraceServiceRequest.Builder b =
          ExportTraceServiceRequest.parseFrom(fragment).toBuilder();
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
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored fragment is not decodable", e);
    }
  }
}
