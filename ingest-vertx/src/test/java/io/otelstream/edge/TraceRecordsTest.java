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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRecordsTest {
  private static final ByteString A = Otlp.randomTraceId();
  private static final ByteString B = Otlp.randomTraceId();

  private static Span span(ByteString trace, long id, int padding) {
    return Span.newBuilder()
        .setTraceId(trace)
        .setSpanId(Otlp.spanId(id))
        .setName("s".repeat(padding))
        .addAttributes(
            KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setIntValue(id)))
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
        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.0"))
                .addAllSpans(List.of(spans)))
        .build();
  }

  private static Batch split(ExportTraceServiceRequest request, int max) {
    return TraceRecords.split(request.toByteArray(), max);
  }

  @Test
  void oneRecordPerTraceKeepingResourceScopeAndEveryField() throws Exception {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resource("front", span(A, 1, 5), span(B, 2, 5)))
            .addResourceSpans(resource("back", span(A, 3, 5)))
            .build();
    Batch batch = split(request, 1 << 20);
    assertThat(batch.records).hasSize(2);
    assertThat(batch.items).isEqualTo(3);
    assertThat(batch.rejected).isZero();
    Batch.Record first = batch.records.get(0);
    assertThat(new String(first.key(), StandardCharsets.US_ASCII))
        .isEqualTo(RecordKeys.traceKeyString(A));
    ExportTraceServiceRequest expectedA =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resource("front", span(A, 1, 5)))
            .addResourceSpans(resource("back", span(A, 3, 5)))
            .build();
    assertThat(ExportTraceServiceRequest.parseFrom(first.value())).isEqualTo(expectedA);
    assertThat(ExportTraceServiceRequest.parseFrom(batch.records.get(1).value()))
        .isEqualTo(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("front", span(B, 2, 5)))
                .build());
  }

  @Test
  void aTraceLargerThanTheLimitIsSplitUnderOneKey() throws Exception {
    Span[] spans = new Span[50];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = span(A, i + 1, 1000);
    }
    Batch batch =
        split(
            ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("x", spans)).build(),
            10_000);
    assertThat(batch.records.size()).isGreaterThan(5);
    List<Span> all = new ArrayList<>();
    for (Batch.Record r : batch.records) {
      assertThat(r.value().length).isLessThanOrEqualTo(10_000);
      assertThat(r.key()).isEqualTo(RecordKeys.traceKey(A));
      ResourceSpans rs = ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpans(0);
      assertThat(rs.getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("x");
      all.addAll(rs.getScopeSpans(0).getSpansList());
    }
    assertThat(all).containsExactly(spans);
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
                    span(ByteString.copyFrom(new byte[3]), 4, 5),
                    span(B, 3, 20_000)))
            .build();
    Batch batch = split(request, 10_000);
    assertThat(batch.items).isEqualTo(5);
    assertThat(batch.rejected).isEqualTo(4);
    assertThat(batch.records).hasSize(1);
    assertThat(batch.rejectMessage).contains("invalid trace ID: must not be all zero");
  }
}
