package io.otelstream.sinks.loki;

import io.otelstream.schemas.Signal;
import io.otelstream.sinks.InvalidSetting;
import io.otelstream.sinks.http.HttpSinkSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Loki over its push API: logs only; stream labels from a short list of resource attributes. */
public final class LokiSinkSettings extends HttpSinkSettings {
  public static final String LABELS = "loki.label.attributes";
  public static final String PROTOCOL = "loki.protocol";

  /** Loki's default limit of label names per stream. */
  static final int MAX_LABELS = 15;

  public static final ConfigDef CONFIG =
      http("http://localhost:3100/loki/api/v1/push")
          .define(
              LABELS,
              Type.LIST,
              List.of("service.name", "service.namespace", "deployment.environment"),
              (name, value) -> {
                List<?> list = (List<?>) value;
                if (list.isEmpty() || list.size() > MAX_LABELS) {
                  throw new ConfigException(
                      name, value, "list 1.." + MAX_LABELS + " resource attributes");
                }
              },
              Importance.MEDIUM,
              "Resource attributes that become stream labels (dots become underscores); every other attribute "
                  + "goes into structured metadata, never into labels.",
              "Loki",
              2,
              Width.LONG,
              "Label attributes")
          .define(
              PROTOCOL,
              Type.STRING,
              "push",
              ConfigDef.CaseInsensitiveValidString.in("push", "otlp"),
              Importance.HIGH,
              "push: Loki's push API to backend.url (.../loki/api/v1/push), labels chosen here "
                  + "from loki.label.attributes; otlp: OTLP/HTTP protobuf to backend.url "
                  + "(.../otlp/v1/logs), labels chosen by Loki's own OTLP configuration.",
              "Loki",
              1,
              Width.SHORT,
              "Protocol");

  public LokiSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    if (signal() != Signal.LOGS) {
      throw new InvalidSetting(SIGNAL, getString(SIGNAL), "the Loki sink takes logs only");
    }
    requireEndpointFor(PROTOCOL, otlp(), "/otlp/v1/logs", "/loki/api/v1/push");
  }

  public boolean otlp() {
    return "otlp".equalsIgnoreCase(getString(PROTOCOL));
  }

  public List<String> labelAttributes() {
    return getList(LABELS);
  }
}
