package io.otelstream.streams.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampledOutputTest {
  private static Span span(int id, int nameBytes) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id}))
        .setName("x".repeat(nameBytes))
        .build();
  }

  private static byte[] fragment(Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build()
        .toByteArray();
  }

  private static int spans(List<byte[]> values) throws Exception {
    int n = 0;
    for (byte[] v : values) {
      n +=
          ExportTraceServiceRequest.parseFrom(v).getResourceSpansList().stream()
              .flatMap(rs -> rs.getScopeSpansList().stream())
              .mapToInt(ScopeSpans::getSpansCount)
              .sum();
    }
    return n;
  }

  @Test
  void shouldSplitAFragmentThatThePolicyAttributePushesOverTheLimit() throws Exception {
    byte[] f = fragment(span(1, 300), span(2, 300), span(3, 300));
    SampledOutput.Records out = SampledOutput.records(List.of(f), f.length + 10, "errors");
    assertThat(out.droppedSpans()).isZero();
    assertThat(out.values()).hasSizeGreaterThan(1).allMatch(v -> v.length <= f.length + 10);
    assertThat(spans(out.values())).isEqualTo(3);
  }

  @Test
  void shouldCountASpanNoRecordCanHold() throws Exception {
    byte[] f = fragment(span(1, 100), span(2, 5000));
    SampledOutput.Records out = SampledOutput.records(List.of(f), 1000, null);
    assertThat(out.droppedSpans()).isEqualTo(1);
    assertThat(spans(out.values())).isEqualTo(1);
  }
}
