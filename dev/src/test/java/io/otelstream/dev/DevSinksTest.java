package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.config.ConfigException;
import io.otelstream.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevSinksTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("MIMIR_TOKEN", "s3cret"));

  private DevSinks parse(String yaml) {
    return loader.parse(yaml, DevSinks.class, "sinks.yaml");
  }

  @Test
  void readsConnectorsAndSettingsWithEnvironmentSubstitution() {
    DevSinks sinks =
        parse(
            """
            metrics:
              connector: Mimir
              settings:
                backend.url: https://mimir.example/otlp/v1/metrics
                mimir.protocol: otlp
                auth.bearer.token: ${MIMIR_TOKEN}
                batch.max.records: 100
            """);
    assertThat(sinks.traces()).isNull();
    assertThat(sinks.metrics().connectorClass())
        .isEqualTo("io.otelstream.sinks.mimir.MimirSinkConnector");
    assertThat(sinks.metrics().settings())
        .containsEntry("auth.bearer.token", "s3cret")
        .containsEntry("batch.max.records", "100");
  }

  @Test
  void flagsReplaceTheFileAndPickTheProtocolFromThePath() {
    DevSinks sinks =
        parse("traces: {connector: file}")
            .withFlags("http://tempo:4318/v1/traces", null, "http://loki:3100/otlp/v1/logs");
    assertThat(sinks.traces().settings())
        .containsEntry("backend.url", "http://tempo:4318/v1/traces")
        .containsEntry("tempo.protocol", "http");
    assertThat(sinks.metrics()).isNull();
    assertThat(sinks.logs().settings()).containsEntry("loki.protocol", "otlp");
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> parse("logs: {connector: tempo}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logs.connector: tempo cannot take logs");
    assertThatThrownBy(() -> parse("traces: {connector: jaeger}"))
        .hasMessageContaining("traces")
        .hasMessageContaining("unknown 'jaeger'");
    assertThatThrownBy(() -> parse("trace: {connector: tempo}"))
        .hasMessageContaining("unknown key 'trace'");
  }

  @Test
  void theExampleFileParses() {
    DevSinks example =
        new ConfigLoader(Map.of())
            .load(java.nio.file.Path.of("../sinks/config/dev-sinks.yaml"), DevSinks.class);
    assertThat(example.traces().settings()).containsEntry("backend.url", "http://localhost:4317");
    assertThat(example.logs().settings()).containsEntry("loki.protocol", "otlp");
  }
}
