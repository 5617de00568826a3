package io.otelstream.streams.processing;

/** The three pipelines, named as the Collector names them. */
public enum Signal {
  TRACES,
  METRICS,
  LOGS;

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
