package io.otelstream.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.config.ConfigException;
import io.otelstream.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("PREFIX", "prod."));

  @Test
  void shouldBindTheTopicsFileWithSubstitution() {
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
  void shouldNameAnUnknownTopicOrKey() {
    assertThatThrownBy(
            () -> loader.parse("topics:\n  otlp-lags: {}\n", TopicsConfig.class, "t.yaml"))
        .hasMessageContaining("unknown topic 'otlp-lags'");
    assertThatThrownBy(
            () ->
                loader.parse(
                    "topics:\n  otlp-logs:\n    retension: 1h\n", TopicsConfig.class, "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml: unknown key 'topics.otlp-logs.retension'");
  }

  @Test
  void shouldRejectMinIsrAboveReplication() {
    assertThatThrownBy(
            () -> new TopicCatalog(new TopicsConfig(null, (short) 1, 2, null, null, null)))
        .hasMessageContaining("min_insync_replicas 2 exceeds replication_factor 1");
  }
}
