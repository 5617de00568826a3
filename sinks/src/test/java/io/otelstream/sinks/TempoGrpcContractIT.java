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

  /** The OTLP specification: RESOURCE_EXHAUSTED is retried only when the server sent RetryInfo. */
  @org.junit.jupiter.api.Test
  void resourceExhaustedWithoutRetryInfoIsPermanent() throws Exception {
    try (GrpcTraceReceiver backend = new GrpcTraceReceiver()) {
      backend.exhaustWithoutRetryInfo(Integer.MAX_VALUE);
      String topic = topic();
      produce(topic, "x-", 2, null);
      connect.put("/connectors/" + topic + "/config", dlqConfig(topic, backend));
      org.awaitility.Awaitility.await()
          .atMost(60, java.util.concurrent.TimeUnit.SECONDS)
          .until(() -> kafka.readAll(topic + "-dlq").size() == 2);
      org.assertj.core.api.Assertions.assertThat(
              new String(
                  kafka
                      .readAll(topic + "-dlq")
                      .get(0)
                      .headers()
                      .lastHeader("__connect.errors.exception.message")
                      .value(),
                  java.nio.charset.StandardCharsets.UTF_8))
          .contains("RESOURCE_EXHAUSTED");
      org.assertj.core.api.Assertions.assertThat(backend.items()).isEmpty();
    }
  }
}
