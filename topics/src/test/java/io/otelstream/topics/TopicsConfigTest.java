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
  void theRawTopicsKeepTheEdgesCompressionAndTheOthersAreCompressedByTheBroker() {
    TopicCatalog defaults = new TopicCatalog(TopicsConfig.defaults());
    for (Topic raw : new Topic[] {Topic.TRACES, Topic.METRICS, Topic.LOGS}) {
      assertThat(defaults.spec(raw).compression()).as(raw.name()).isEqualTo("producer");
    }
    for (Topic written :
        new Topic[] {Topic.TRACES_SAMPLED, Topic.DEADLETTER, Topic.METRICS_AGGREGATION}) {
      assertThat(defaults.spec(written).compression()).as(written.name()).isEqualTo("lz4");
    }
    TopicCatalog overridden =
        new TopicCatalog(
            loader.parse(
                "compression: zstd\ntopics:\n  otlp-logs: {compression: gzip}\n",
                TopicsConfig.class,
                "t.yaml"));
    assertThat(overridden.spec(Topic.TRACES).compression()).isEqualTo("zstd");
    assertThat(overridden.spec(Topic.LOGS).compression()).isEqualTo("gzip");
    assertThat(overridden.spec(Topic.TRACES_SAMPLED).compression()).isEqualTo("zstd");
  }

  @Test
  void anUnknownCompressionIsNamedWhereItWasWritten() {
    assertThatThrownBy(
            () ->
                new TopicCatalog(loader.parse("compression: lz5\n", TopicsConfig.class, "t.yaml")))
        .hasMessageContaining("topics.compression must be one of")
        .hasMessageContaining("was lz5");
    assertThatThrownBy(
            () ->
                new TopicCatalog(
                    loader.parse(
                        "topics:\n  otlp-logs: {compression: lz5}\n",
                        TopicsConfig.class,
                        "t.yaml")))
        .hasMessageContaining("topics.otlp-logs.compression must be one of");
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
