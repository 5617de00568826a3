package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  @Test
  void hexIdsAndUnknownFieldsInLogs() {
    String json =
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
            + "\"spanId\":\"eee19b7ec3c1b174\",\"severityNumber\":9,\"body\":{\"stringValue\":\"hi\"},\"future\":true}]}]}]}";
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8), b);
    var log = b.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(HexFormat.of().formatHex(log.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(log.getSeverityNumberValue()).isEqualTo(9);
  }

  @Test
  void nonHexIdIsAClearError() {
    assertThatThrownBy(
            () ->
                OtlpJson.merge(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"not-hex\"}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8),
                    ExportLogsServiceRequest.newBuilder()))
        .isInstanceOf(EdgeError.class)
        .hasMessageContaining("traceId 'not-hex' is not hex");
  }
}
