package io.otelstream.sinks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.sinks.InvalidSetting;
import io.otelstream.sinks.loki.LokiSinkSettings;
import io.otelstream.sinks.mimir.MimirSinkSettings;
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

  @Test
  void aUrlForTheOtherProtocolIsRefusedOnBackendUrl() {
    assertThatThrownBy(
            () ->
                new TempoSinkSettings(
                    Map.of("otlp.signal", "traces", "backend.url", "http://tempo:4318/v1/traces")))
        .isInstanceOf(InvalidSetting.class)
        .hasMessageContaining("backend.url")
        .hasMessageContaining("tempo.protocol=http");
    assertThatThrownBy(
            () ->
                new MimirSinkSettings(
                    Map.of(
                        "otlp.signal",
                        "metrics",
                        "backend.url",
                        "http://mimir:9009/otlp/v1/metrics")))
        .hasMessageContaining("is an OTLP endpoint but mimir.protocol is remote_write");
    assertThatThrownBy(
            () ->
                new LokiSinkSettings(
                    Map.of(
                        "otlp.signal",
                        "logs",
                        "loki.protocol",
                        "otlp",
                        "backend.url",
                        "http://loki:3100/loki/api/v1/push")))
        .hasMessageContaining("is the /loki/api/v1/push endpoint but loki.protocol is otlp");
    assertThat(
            new LokiSinkSettings(
                    Map.of(
                        "otlp.signal",
                        "logs",
                        "loki.protocol",
                        "otlp",
                        "backend.url",
                        "http://loki:3100/otlp/v1/logs"))
                .otlp())
        .isTrue();
  }
}
