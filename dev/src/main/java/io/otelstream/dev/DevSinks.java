package io.otelstream.dev;

import io.otelstream.schemas.Signal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where `otelstream dev` sends each signal, read from the --sinks-config YAML file. A signal left
 * out is written to files. {@code settings} are the connector's own settings (sinks/README.md),
 * passed to Connect as they are; Connect validates them.
 *
 * <pre>
 * traces:  {connector: tempo, settings: {backend.url: "http://localhost:4317"}}
 * metrics: {connector: mimir, settings: {backend.url: "http://localhost:9009/api/v1/push"}}
 * logs:    {connector: loki,  settings: {backend.url: "http://localhost:3100/loki/api/v1/push"}}
 * </pre>
 */
record DevSinks(Sink traces, Sink metrics, Sink logs) {
  /** A connector and its settings for one signal. */
  record Sink(String connector, Map<String, String> settings) {
    Sink {
      if (connector == null) {
        throw new IllegalArgumentException("connector: required (file, tempo, mimir or loki)");
      }
      connector = connector.toLowerCase(Locale.ROOT);
      if (!CONNECTORS.containsKey(connector)) {
        throw new IllegalArgumentException(
            "connector: unknown '" + connector + "' (file, tempo, mimir or loki)");
      }
      settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    String connectorClass() {
      return CONNECTORS.get(connector);
    }

    /** The connector for a backend URL given on the command line. */
    static Sink forUrl(String connector, String url) {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("backend.url", url);
      // A URL naming an OTLP/HTTP path selects OTLP/HTTP; otherwise the connector's default.
      if (url.endsWith("/v1/traces")) {
        settings.put("tempo.protocol", "http");
      } else if (url.endsWith("/otlp/v1/metrics")) {
        settings.put("mimir.protocol", "otlp");
      } else if (url.endsWith("/otlp/v1/logs")) {
        settings.put("loki.protocol", "otlp");
      }
      return new Sink(connector, settings);
    }
  }

  private static final Map<String, String> CONNECTORS =
      Map.of(
          "file", "io.otelstream.sinks.file.FileSinkConnector",
          "tempo", "io.otelstream.sinks.tempo.TempoSinkConnector",
          "mimir", "io.otelstream.sinks.mimir.MimirSinkConnector",
          "loki", "io.otelstream.sinks.loki.LokiSinkConnector");

  DevSinks {
    require(Signal.TRACES, traces, "tempo");
    require(Signal.METRICS, metrics, "mimir");
    require(Signal.LOGS, logs, "loki");
  }

  /** The sink chosen for {@code signal}, or null for the file sink. */
  Sink forSignal(Signal signal) {
    return switch (signal) {
      case TRACES -> traces;
      case METRICS -> metrics;
      case LOGS -> logs;
    };
  }

  static DevSinks files() {
    return new DevSinks(null, null, null);
  }

  private static void require(Signal signal, Sink sink, String backend) {
    if (sink != null && !sink.connector().equals("file") && !sink.connector().equals(backend)) {
      throw new IllegalArgumentException(
          signal.key()
              + ".connector: "
              + sink.connector()
              + " cannot take "
              + signal.key()
              + " (file or "
              + backend
              + ")");
    }
  }

  /** Where one signal goes, for the start banner: a file path or the backend's URL. */
  static String destination(Signal signal, Sink sink, java.nio.file.Path files) {
    if (sink == null || sink.connector().equals("file")) {
      return files.resolve(signal.key() + ".jsonl") + "  (OTLP JSON lines; <tenant>/ per tenant)";
    }
    return sink.connector() + " " + sink.settings().getOrDefault("backend.url", "(default URL)");
  }

  /** This configuration with the command line's backend URLs in place of the file's choices. */
  DevSinks withFlags(String tempo, String mimir, String loki) {
    return new DevSinks(
        tempo != null ? Sink.forUrl("tempo", tempo) : traces,
        mimir != null ? Sink.forUrl("mimir", mimir) : metrics,
        loki != null ? Sink.forUrl("loki", loki) : logs);
  }
}
