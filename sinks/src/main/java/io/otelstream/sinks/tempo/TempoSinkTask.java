package io.otelstream.sinks.tempo;

import io.otelstream.sinks.SinkSettings;
import io.otelstream.sinks.http.OtlpHttpSinkTask;
import java.util.Map;

/** Sends kept traces to Tempo's OTLP/HTTP receiver. */
public final class TempoSinkTask extends OtlpHttpSinkTask {
  @Override
  protected SinkSettings settings(Map<String, String> props) {
    return new TempoSinkSettings(props);
  }

  @Override
  public void stop() {}
}
