package io.otelstream.sinks.tempo;

import io.otelstream.sinks.Signal;
import io.otelstream.sinks.http.HttpSinkSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Tempo over OTLP/HTTP: traces only. */
public final class TempoSinkSettings extends HttpSinkSettings {
  public static final ConfigDef CONFIG = http("http://localhost:4318/v1/traces");

  public TempoSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    if (signal() != Signal.TRACES) {
      throw new ConfigException(SIGNAL, getString(SIGNAL), "the Tempo sink takes traces only");
    }
  }
}
