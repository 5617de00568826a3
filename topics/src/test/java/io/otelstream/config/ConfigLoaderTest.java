package io.otelstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("PREFIX", "prod."));

  @Test
  void substitutesEnvironmentAndDefaults() {
    TopicsConfig c =
        loader.parse(
            "prefix: ${PREFIX}\ncompression: ${COMP:-zstd}\ntopics:\n  otlp-logs:\n    retention: 36h\n",
            TopicsConfig.class,
            "t.yaml");
    TopicCatalog catalog = new TopicCatalog(c);
    assertThat(catalog.name(Topic.LOGS)).isEqualTo("prod.otlp-logs");
    assertThat(catalog.spec(Topic.LOGS).retention()).isEqualTo(Duration.ofHours(36));
    assertThat(catalog.spec(Topic.TRACES).compression()).isEqualTo("zstd");
  }

  @Test
  void emptyDocumentMeansDefaults() {
    assertThat(loader.parse("", TopicsConfig.class, "t.yaml").prefix()).isEmpty();
  }

  @Test
  void unknownKeyFailsWithItsPath() {
    assertThatThrownBy(
            () ->
                loader.parse(
                    "topics:\n  otlp-logs:\n    retension: 1h\n", TopicsConfig.class, "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml: unknown key 'topics.otlp-logs.retension'")
        .hasMessageContaining("retention");
  }

  @Test
  void invalidValuesFailWithPathAndReason() {
    assertThatThrownBy(
            () ->
                loader.parse(
                    "topics:\n  otlp-logs:\n    retention: 1 day\n", TopicsConfig.class, "t.yaml"))
        .hasMessageContaining("'topics.otlp-logs.retention'")
        .hasMessageContaining("unknown unit");
    assertThatThrownBy(
            () -> loader.parse("topics:\n  otlp-lags: {}\n", TopicsConfig.class, "t.yaml"))
        .hasMessageContaining("unknown topic 'otlp-lags'");
    assertThatThrownBy(
            () -> loader.parse("max_message_bytes: lots\n", TopicsConfig.class, "t.yaml"))
        .hasMessageContaining("'max_message_bytes'")
        .hasMessageContaining("not a size");
  }

  @Test
  void missingVariableWithoutDefaultIsNamed() {
    assertThatThrownBy(() -> loader.parse("prefix: ${NOPE}\n", TopicsConfig.class, "t.yaml"))
        .hasMessageContaining("environment variable NOPE is not set");
  }

  @Test
  void catalogRejectsMinIsrAboveReplication() {
    assertThatThrownBy(
            () -> new TopicCatalog(new TopicsConfig(null, (short) 1, 2, null, null, null)))
        .hasMessageContaining("min_insync_replicas 2 exceeds replication_factor 1");
  }
}
