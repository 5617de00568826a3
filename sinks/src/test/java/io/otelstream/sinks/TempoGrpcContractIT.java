package io.otelstream.sinks;

/** The contract for Tempo over OTLP/gRPC, the default protocol. */
class TempoGrpcContractIT extends TempoContractIT {
  @Override
  ContractBackend backend() {
    return new GrpcTraceReceiver();
  }

  @Override
  String encoding() {
    return "gzip";
  }

  @Override
  String extraConfig() {
    return "";
  }
}
