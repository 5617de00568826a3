package io.otelstream.sinks.tempo;

import io.otelstream.schemas.Signal;
import io.otelstream.sinks.InvalidSetting;
import io.otelstream.sinks.http.HttpSinkSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Tempo over OTLP/gRPC (default) or OTLP/HTTP: traces only. */
public final class TempoSinkSettings extends HttpSinkSettings {
  public static final String PROTOCOL = "tempo.protocol";

  public static final ConfigDef CONFIG =
      http("http://localhost:4317")
          .define(
              PROTOCOL,
              Type.STRING,
              "grpc",
              ConfigDef.CaseInsensitiveValidString.in("grpc", "http"),
              Importance.HIGH,
              "OTLP transport: grpc (backend.url is http(s)://host:port) or http (backend.url is the full "
                  + "/v1/traces URL).",
              "Tempo",
              1,
              Width.SHORT,
              "Protocol");

  public TempoSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    if (signal() != Signal.TRACES) {
      throw new InvalidSetting(SIGNAL, getString(SIGNAL), "the Tempo sink takes traces only");
    }
    String path = url().getPath();
    if (grpc() && path != null && !path.isEmpty() && !path.equals("/")) {
      throw new InvalidSetting(
          URL,
          getString(URL),
          "has a path, but OTLP/gRPC takes http(s)://host:port; for OTLP/HTTP to this URL set "
              + PROTOCOL
              + "=http");
    }
  }

  public boolean grpc() {
    return "grpc".equalsIgnoreCase(getString(PROTOCOL));
  }
}
