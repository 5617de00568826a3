package io.otelstream.sinks.mimir;

import io.otelstream.schemas.Signal;
import io.otelstream.sinks.InvalidSetting;
import io.otelstream.sinks.http.HttpSinkSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Mimir (or any Prometheus remote-write 1.0 receiver), or Mimir's OTLP endpoint: metrics only. */
public final class MimirSinkSettings extends HttpSinkSettings {
  public static final String PROTOCOL = "mimir.protocol";
  public static final String EXPONENTIAL = "mimir.exponential.histograms";
  public static final String RESOURCE_TO_TELEMETRY = "mimir.resource.to.telemetry";
  public static final String EXTERNAL_LABELS = "mimir.external.labels";

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
              "Protocol")
          .define(
              EXPONENTIAL,
              Type.STRING,
              "native",
              ConfigDef.CaseInsensitiveValidString.in("native", "explicit"),
              Importance.MEDIUM,
              "remote_write: exponential histograms as native histograms (native, as the Collector"
                  + " writes them; Prometheus needs --enable-feature=native-histograms) or as"
                  + " classic _bucket/_sum/_count series (explicit), one bucket per populated"
                  + " exponential bucket, for backends without native histograms.",
              "Mimir",
              2,
              Width.SHORT,
              "Exponential histograms")
          .define(
              RESOURCE_TO_TELEMETRY,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "remote_write: every resource attribute also a label of every series (the"
                  + " Collector's resource_to_telemetry_conversion); a data point attribute of the"
                  + " same name wins.",
              "Mimir",
              3,
              Width.SHORT,
              "Resource attributes as labels")
          .define(
              EXTERNAL_LABELS,
              Type.LIST,
              "",
              Importance.LOW,
              "remote_write: name=value labels added to every series unless it has a label of that"
                  + " name (the Collector's external_labels).",
              "Mimir",
              4,
              Width.LONG,
              "External labels");

  public MimirSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    if (signal() != Signal.METRICS) {
      throw new InvalidSetting(SIGNAL, getString(SIGNAL), "the Mimir sink takes metrics only");
    }
    requireEndpointFor(PROTOCOL, otlp(), "/otlp/v1/metrics", "/api/v1/push");
    translation(); // fail at start on a malformed external label
  }

  /** The translation options the settings ask for. */
  PrometheusTranslator.Options translation() {
    Map<String, String> external = new java.util.TreeMap<>();
    for (String pair : getList(EXTERNAL_LABELS)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidSetting(EXTERNAL_LABELS, pair, "write each label as name=value");
      }
      external.put(
          PrometheusNames.label(pair.substring(0, eq).trim()), pair.substring(eq + 1).trim());
    }
    return new PrometheusTranslator.Options(
        "native".equalsIgnoreCase(getString(EXPONENTIAL)),
        getBoolean(RESOURCE_TO_TELEMETRY),
        external);
  }

  public boolean otlp() {
    return "otlp".equalsIgnoreCase(getString(PROTOCOL));
  }
}
