package io.otelstream.sinks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.sinks.tempo.TempoSinkSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HttpSinkSettingsTest {
  @Test
  void bearerOrBasicButNotBoth() {
    assertThat(
            new TempoSinkSettings(Map.of("otlp.signal", "traces", "auth.bearer.token", "t0k"))
                .authorization())
        .isEqualTo("Bearer t0k");
    assertThat(new TempoSinkSettings(Map.of("otlp.signal", "traces")).authorization()).isNull();
    assertThatThrownBy(
            () ->
                new TempoSinkSettings(
                    Map.of(
                        "otlp.signal",
                        "traces",
                        "auth.bearer.token",
                        "t",
                        "auth.basic.username",
                        "u")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not both");
  }

  @Test
  void aSinkTakesOnlyItsSignal() {
    assertThatThrownBy(() -> new TempoSinkSettings(Map.of("otlp.signal", "logs")))
        .hasMessageContaining("otlp.signal")
        .hasMessageContaining("traces only");
  }
}
