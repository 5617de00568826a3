package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.schemas.Signal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class OtlpRequestsTest {
  private static BatchingSinkTask.Item item(byte[] value, String tenant) {
    ConnectHeaders headers = new ConnectHeaders();
    if (tenant != null) {
      headers.addBytes("otelstream.tenant", tenant.getBytes(StandardCharsets.UTF_8));
    }
    SinkRecord r = new SinkRecord("t", 0, null, null, null, value, 0, null, null, headers);
    return new BatchingSinkTask.Item(r, null, value.length);
  }

  @Test
  void concatenatedRequestsOfATenantMergeIntoOne() throws Exception {
    TempoContractIT spans = new TempoContractIT();
    Map<String, byte[]> byTenant =
        OtlpRequests.byTenant(
            List.of(
                item(spans.record("a"), "acme"),
                item(spans.record("b"), null),
                item(spans.record("c"), "acme")));
    assertThat(byTenant.keySet()).containsExactly("acme", "");
    ExportTraceServiceRequest acme = ExportTraceServiceRequest.parseFrom(byTenant.get("acme"));
    assertThat(acme.getResourceSpansList())
        .extracting(rs -> rs.getScopeSpans(0).getSpans(0).getName())
        .containsExactly("a", "c");
  }

  @Test
  void partialSuccessIsReadAndOtherAnswersMeanNothingRejected() {
    byte[] partial =
        ExportLogsServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(3)
                    .setErrorMessage("too old"))
            .build()
            .toByteArray();
    Signal.PartialSuccess p = Signal.LOGS.partialSuccess(partial);
    assertThat(p.rejected()).isEqualTo(3);
    assertThat(p.message()).isEqualTo("too old");
    assertThat(Signal.LOGS.partialSuccess(new byte[0]).rejected()).isZero();
    assertThat(
            Signal.TRACES
                .partialSuccess("{\"partialSuccess\":{}}".getBytes(StandardCharsets.UTF_8))
                .rejected())
        .isZero();
  }
}
