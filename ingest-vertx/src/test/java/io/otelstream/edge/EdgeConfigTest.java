package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.config.ConfigException;
import io.otelstream.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("EDGE_TOKEN", "t0ken"));

  private EdgeConfig parse(String yaml) {
    return loader.parse(yaml, EdgeConfig.class, "edge.yaml");
  }

  @Test
  void defaultsMatchTheDesign() {
    EdgeConfig c = parse("");
    assertThat(c.grpc().port()).isEqualTo(4317);
    assertThat(c.http().port()).isEqualTo(4318);
    assertThat(c.admin().port()).isEqualTo(13133);
    assertThat(c.limits().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.producerProperties())
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("max.block.ms", "0");
  }

  @Test
  void overridesTheGuaranteesRestOnAreRefusedUnlessOptedOut() {
    assertThatThrownBy(() -> parse("kafka: {acks: \"1\"}"))
        .hasMessageContaining("kafka.acks: 1 is refused")
        .hasMessageContaining("every in-sync replica")
        .hasMessageContaining("allow_unsafe_kafka_overrides");
    assertThatThrownBy(() -> parse("kafka: {max.block.ms: \"60000\"}"))
        .hasMessageContaining("kafka.max.block.ms: 60000 is refused")
        .hasMessageContaining("event loops");
    assertThatThrownBy(() -> parse("kafka: {enable.idempotence: \"false\"}"))
        .hasMessageContaining("kafka.enable.idempotence: false is refused");
    // The safe value itself is fine, and the opt-out lets the override through.
    assertThat(parse("kafka: {acks: all}").producerProperties()).containsEntry("acks", "all");
    assertThat(
            parse("allow_unsafe_kafka_overrides: true\nkafka: {acks: \"1\"}").producerProperties())
        .containsEntry("acks", "1");
  }

  @Test
  void theEffectiveConfigurationMasksSecrets() {
    EdgeConfig c =
        parse(
            "kafka:\n  sasl.jaas.config: \"secret-jaas\"\n  ssl.key.password: pw\n"
                + "auth:\n  tokens:\n    - {token: \"${EDGE_TOKEN}\", tenant: team-a}\n");
    String logged = io.otelstream.config.EffectiveConfig.describe(c);
    assertThat(logged)
        .doesNotContain("t0ken", "secret-jaas", "\"pw\"")
        .contains("team-a", "\"grpc\"", "4317", "***");
  }

  @Test
  void kafkaPropertiesPassThroughAndSecretsComeFromTheEnvironment() {
    EdgeConfig c =
        parse(
            "kafka:\n  bootstrap.servers: k1:9092\n  linger.ms: 20\n"
                + "auth:\n  tokens:\n    - {token: \"${EDGE_TOKEN}\", tenant: team-a}\n");
    assertThat(c.producerProperties())
        .containsEntry("bootstrap.servers", "k1:9092")
        .containsEntry("linger.ms", "20");
    assertThat(c.auth().tokens().get(0).token()).isEqualTo("t0ken");
    assertThat(c.auth().tokens().toString()).doesNotContain("t0ken");
  }

  @Test
  void unknownKeysAndBadValuesNameThePath() {
    assertThatThrownBy(() -> parse("limits: {request_timout: 5s}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'limits.request_timout'");
    assertThatThrownBy(() -> parse("grpc: {port: 70000}\n"))
        .hasMessageContaining("'grpc': port must be 0..65535, was 70000");
    assertThatThrownBy(
            () -> parse("limits: {max_request_bytes: 32MiB, max_decompressed_bytes: 16MiB}\n"))
        .hasMessageContaining("'limits'")
        .hasMessageContaining("max_decompressed_bytes must be at least max_request_bytes");
    assertThatThrownBy(() -> parse("tls: {cert_file: /x.pem}\n"))
        .hasMessageContaining("cert_file and key_file must be set together");
    assertThatThrownBy(() -> parse("auth:\n  tokens:\n    - {token: abc}\n"))
        .hasMessageContaining("tenant must not be empty");
  }
}
