package io.otelstream.sinks;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract for Loki's OTLP endpoint: OTLP/HTTP protobuf to /otlp/v1/logs, decoded with the real
 * OTLP protos; each log body names its item.
 */
class LokiOtlpContractIT extends LokiContractIT {
  @Override
  ContractBackend backend() throws Exception {
    return new Receiver(
        "/otlp/v1/logs",
        (ex, body) -> {
          if (!"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
            throw new IllegalArgumentException("unsupported content type");
          }
          List<String> lines = new ArrayList<>();
          ExportLogsServiceRequest.parseFrom(body)
              .getResourceLogsList()
              .forEach(
                  rl ->
                      rl.getScopeLogsList()
                          .forEach(
                              sl ->
                                  sl.getLogRecordsList()
                                      .forEach(l -> lines.add(l.getBody().getStringValue()))));
          return lines;
        });
  }

  @Override
  String encoding() {
    return "gzip";
  }

  @Override
  String extraConfig() {
    return ", \"loki.protocol\": \"otlp\"";
  }
}
