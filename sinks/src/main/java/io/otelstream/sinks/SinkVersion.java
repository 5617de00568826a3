package io.otelstream.sinks;

/** The connectors' version as Connect reports it. */
public final class SinkVersion {
  public static final String VERSION = "0.1.0";

  private SinkVersion() {}
}
