package io.otelstream.sinks;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.Map;

/** The contract for Tempo over OTLP/HTTP; the receiver decodes the real OTLP protos. */
class TempoContractIT extends SinkContract {
  @Override
  String connectorClass() {
    return "io.otelstream.sinks.tempo.TempoSinkConnector";
  }

  @Override
  String signal() {
    return "traces";
  }

  @Override
  ContractBackend backend() throws Exception {
    return Receiver.otlpTraces();
  }

  @Override
  String encoding() {
    return "gzip";
  }

  @Override
  String extraConfig() {
    return ", \"tempo.protocol\": \"http\"";
  }

  @Override
  Map<String, String> badBackendSettings() {
    return Map.of("backend.url", "not a url", "tempo.protocol", "carrier-pigeon");
  }

  @Override
  byte[] record(String name) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setTraceId(
                                    ByteString.copyFrom(
                                        ByteBuffer.allocate(16)
                                            .putLong(7)
                                            .putLong(name.hashCode())
                                            .array()))
                                .setSpanId(
                                    ByteString.copyFrom(ByteBuffer.allocate(8).putLong(1).array()))
                                .setName(name))))
        .build()
        .toByteArray();
  }
}
