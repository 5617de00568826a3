package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An OTLP/JSON request sent with curl lands with the same IDs. */
class CurlJsonIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void curlJsonTraceLandsWithTheSameIds() throws Exception {
    String traceId = "5b8efff798038103d269b633813fc60c";
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"curl"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[
            {"traceId":"%s","spanId":"eee19b7ec3c1b174","name":"parent","kind":2,
             "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000","unknownField":1},
            {"traceId":"%s","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174","name":"child",
             "startTimeUnixNano":"1544712660100000000","endTimeUnixNano":"1544712660900000000",
             "attributes":[{"key":"http.status_code","value":{"intValue":"200"}}],"status":{"code":2}}]}]}]}
        """
            .formatted(traceId, traceId);
    try (TestEdge edge = TestEdge.start(kafka, "")) {
      java.nio.file.Path body = java.nio.file.Files.createTempFile("otlp", ".json");
      java.nio.file.Files.writeString(body, json);
      Process curl =
          new ProcessBuilder(
                  "curl",
                  "-sS",
                  "--max-time",
                  "20",
                  "-w",
                  "\n%{http_code}",
                  "-X",
                  "POST",
                  "-H",
                  "Content-Type: application/json",
                  "--data-binary",
                  "@" + body,
                  edge.httpUrl("/v1/traces"))
              .redirectErrorStream(true)
              .start();
      assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(output).endsWith("\n200").startsWith("{");

      var records = edge.records(Topic.TRACES);
      assertThat(records).hasSize(1);
      ConsumerRecord<byte[], byte[]> record = records.get(0);
      assertThat(new String(record.key(), StandardCharsets.US_ASCII)).isEqualTo(traceId);
      var spans =
          ExportTraceServiceRequest.parseFrom(record.value())
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpansList();
      assertThat(spans)
          .extracting(s -> HexFormat.of().formatHex(s.getSpanId().toByteArray()))
          .containsExactly("eee19b7ec3c1b174", "eee19b7ec3c1b175");
      assertThat(HexFormat.of().formatHex(spans.get(1).getParentSpanId().toByteArray()))
          .isEqualTo("eee19b7ec3c1b174");
      assertThat(spans.get(1).getAttributes(0).getValue().getIntValue()).isEqualTo(200);
    }
  }
}
