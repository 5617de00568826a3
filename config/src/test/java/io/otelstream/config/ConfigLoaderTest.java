package io.otelstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  /** A configuration shaped like the components' own: nested records, sizes and durations. */
  record Sample(
      String prefix, String compression, ByteSize maxMessageBytes, Map<String, Item> items) {}

  record Item(Duration retention) {}

  private final ConfigLoader loader = new ConfigLoader(Map.of("PREFIX", "prod."));

  @Test
  void shouldSubstituteEnvironmentAndDefaults() {
    Sample c =
        loader.parse(
            "prefix: ${PREFIX}\ncompression: ${COMP:-zstd}\nmax_message_bytes: 2MiB\n"
                + "items:\n  a:\n    retention: 36h\n",
            Sample.class,
            "s.yaml");
    assertThat(c.prefix()).isEqualTo("prod.");
    assertThat(c.compression()).isEqualTo("zstd");
    assertThat(c.maxMessageBytes()).isEqualTo(new ByteSize(2 << 20));
    assertThat(c.items().get("a").retention()).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void shouldKeepASubstitutedValueWholeWhateverItHoldsAndIgnoreComments() {
    ConfigLoader l =
        new ConfigLoader(
            Map.of("ODD", "a: b # not a comment 'q' \"dq\"", "SIZE", "4MiB", "TTL", "90s"));
    Sample c =
        l.parse(
            "# ${NOT_SET} in a comment is not looked up\n"
                + "prefix: ${ODD}   # ${NOR_HERE}\n"
                + "max_message_bytes: ${SIZE}\n"
                + "items: {a: {retention: \"${TTL}\"}}\n",
            Sample.class,
            "s.yaml");
    assertThat(c.prefix()).isEqualTo("a: b # not a comment 'q' \"dq\"");
    assertThat(c.maxMessageBytes()).isEqualTo(new ByteSize(4 << 20));
    assertThat(c.items().get("a").retention()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void shouldTreatAnEmptyDocumentAsDefaults() {
    assertThat(loader.parse("", Sample.class, "s.yaml").prefix()).isNull();
  }

  @Test
  void shouldFailOnAnUnknownKeyWithItsPath() {
    assertThatThrownBy(
            () -> loader.parse("items:\n  a:\n    retension: 1h\n", Sample.class, "s.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("s.yaml: unknown key 'items.a.retension'")
        .hasMessageContaining("retention");
  }

  @Test
  void shouldFailOnInvalidValuesWithPathAndReason() {
    assertThatThrownBy(
            () -> loader.parse("items:\n  a:\n    retention: 1 day\n", Sample.class, "s.yaml"))
        .hasMessageContaining("'items.a.retention'")
        .hasMessageContaining("unknown unit");
    assertThatThrownBy(() -> loader.parse("max_message_bytes: lots\n", Sample.class, "s.yaml"))
        .hasMessageContaining("'max_message_bytes'")
        .hasMessageContaining("not a size");
  }

  @Test
  void shouldNameAMissingVariableWithoutDefault() {
    assertThatThrownBy(() -> loader.parse("prefix: ${NOPE}\n", Sample.class, "s.yaml"))
        .hasMessageContaining("environment variable NOPE is not set");
  }
}
