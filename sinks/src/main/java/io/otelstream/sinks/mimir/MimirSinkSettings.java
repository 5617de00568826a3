package io.otelstream.sinks.mimir;

import io.otelstream.sinks.Signal;
import io.otelstream.sinks.http.HttpSinkSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Mimir (or any Prometheus remote-write 1.0 receiver): metrics only. */
public final class MimirSinkSettings extends HttpSinkSettings {
  public static final ConfigDef CONFIG = http("http://localhost:9009/api/v1/push");

  public MimirSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    if (signal() != Signal.METRICS) {
      throw new ConfigException(SIGNAL, getString(SIGNAL), "the Mimir sink takes metrics only");
    }
  }
}
