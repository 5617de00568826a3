package io.otelstream.sinks.mimir;

import io.otelstream.sinks.InvalidSetting;
import io.otelstream.sinks.Signal;
import io.otelstream.sinks.http.HttpSinkSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Mimir (or any Prometheus remote-write 1.0 receiver), or Mimir's OTLP endpoint: metrics only. */
public final class MimirSinkSettings extends HttpSinkSettings {
  public static final String PROTOCOL = "mimir.protocol";

  public static final ConfigDef CONFIG =
      http("http://localhost:9009/api/v1/push")
          .define(
              PROTOCOL,
              Type.STRING,
              "remote_write",
              ConfigDef.CaseInsensitiveValidString.in("remote_write", "otlp"),
              Importance.HIGH,
              "remote_write: Prometheus remote write 1.0 to backend.url (.../api/v1/push), "
                  + "translated from OpenTelemetry here; otlp: OTLP/HTTP protobuf to backend.url "
                  + "(.../otlp/v1/metrics), translated by Mimir.",
              "Mimir",
              1,
              Width.SHORT,
              "Protocol");

  public MimirSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    if (signal() != Signal.METRICS) {
      throw new InvalidSetting(SIGNAL, getString(SIGNAL), "the Mimir sink takes metrics only");
    }
    requireEndpointFor(PROTOCOL, otlp(), "/otlp/v1/metrics", "/api/v1/push");
  }

  public boolean otlp() {
    return "otlp".equalsIgnoreCase(getString(PROTOCOL));
  }
}
