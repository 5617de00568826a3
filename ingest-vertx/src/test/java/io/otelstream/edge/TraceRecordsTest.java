package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.RecordKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TraceRecordsTest {
  private static final ByteString A = Otlp.randomTraceId();
  private static final ByteString B = Otlp.randomTraceId();

  private static Span span(ByteString trace, long id, int padding) {
    return Span.newBuilder()
        .setTraceId(trace)
        .setSpanId(Otlp.spanId(id))
        .setName("s".repeat(padding))
        .build();
  }

  private static ResourceSpans resource(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("lib"))
                .addAllSpans(java.util.List.of(spans)))
        .build();
  }

  @Test
  void oneRecordPerTraceKeepingResourceAndScope() throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resource("front", span(A, 1, 5), span(B, 2, 5)))
            .addResourceSpans(resource("back", span(A, 3, 5)))
            .build();
    Batch batch = TraceRecords.split(request, 1 << 20);
    assertThat(batch.records).hasSize(2);
    assertThat(batch.items).isEqualTo(3);
    assertThat(batch.rejected).isZero();
    Batch.Record first = batch.records.get(0);
    assertThat(new String(first.key(), StandardCharsets.US_ASCII))
        .isEqualTo(RecordKeys.traceKeyString(A));
    ExportTraceServiceRequest a = ExportTraceServiceRequest.parseFrom(first.value());
    assertThat(a.getResourceSpansList())
        .extracting(rs -> rs.getResource().getAttributes(0).getValue().getStringValue())
        .containsExactly("front", "back");
    assertThat(a.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("lib");
  }

  @Test
  void aTraceLargerThanTheLimitIsSplitUnderOneKey() throws Exception {
    Span[] spans = new Span[50];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = span(A, i + 1, 1000);
    }
    Batch batch =
        TraceRecords.split(
            ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("x", spans)).build(),
            10_000);
    assertThat(batch.records.size()).isGreaterThan(5);
    int total = 0;
    for (Batch.Record r : batch.records) {
      assertThat(r.value().length).isLessThanOrEqualTo(10_000);
      assertThat(r.key()).isEqualTo(RecordKeys.traceKey(A));
      total +=
          ExportTraceServiceRequest.parseFrom(r.value())
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpansCount();
    }
    assertThat(total).isEqualTo(50);
  }

  @Test
  void invalidIdsAndOversizedSpansAreRejectedAndCounted() {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                resource(
                    "x",
                    span(A, 1, 5),
                    span(ByteString.copyFrom(new byte[16]), 2, 5),
                    span(A, 0, 5),
                    span(B, 3, 20_000)))
            .build();
    Batch batch = TraceRecords.split(request, 10_000);
    assertThat(batch.items).isEqualTo(4);
    assertThat(batch.rejected).isEqualTo(3);
    assertThat(batch.records).hasSize(1);
    assertThat(batch.rejectMessage).contains("invalid trace ID: must not be all zero");
  }
}
