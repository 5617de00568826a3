package io.otelstream.sinks;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.schemas.loki.PushRequest;
import io.otelstream.schemas.loki.StreamAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/** The contract for Loki's push API; the receiver applies Loki's stream rules. */
class LokiContractIT extends SinkContract {
  @Override
  String connectorClass() {
    return "io.otelstream.sinks.loki.LokiSinkConnector";
  }

  @Override
  String signal() {
    return "logs";
  }

  @Override
  ContractBackend backend() throws Exception {
    return new Receiver(
        "/loki/api/v1/push",
        (ex, body) -> {
          if (!"snappy".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            throw new IllegalArgumentException("expected snappy-compressed protobuf");
          }
          List<String> lines = new ArrayList<>();
          for (StreamAdapter s : PushRequest.parseFrom(Snappy.uncompress(body)).getStreamsList()) {
            LokiReceiver.parse(s.getLabels());
            s.getEntriesList().forEach(e -> lines.add(e.getLine()));
          }
          return lines;
        });
  }

  @Override
  Map<String, String> badBackendSettings() {
    return Map.of("backend.url", "not a url", "loki.protocol", "carrier-pigeon");
  }

  @Override
  String encoding() {
    return "snappy";
  }

  @Override
  byte[] record(String name) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("contract"))))
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .addLogRecords(
                            LogRecord.newBuilder()
                                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                                .setBody(AnyValue.newBuilder().setStringValue(name)))))
        .build()
        .toByteArray();
  }
}
