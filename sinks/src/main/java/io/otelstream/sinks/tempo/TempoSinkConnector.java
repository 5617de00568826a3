package io.otelstream.sinks.tempo;

import io.otelstream.sinks.OtelstreamSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** otlp-traces-sampled to Grafana Tempo over OTLP/HTTP, at least once. */
public final class TempoSinkConnector extends OtelstreamSinkConnector {
  @Override
  protected void validateSettings(Map<String, String> props) {
    new TempoSinkSettings(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return TempoSinkTask.class;
  }

  @Override
  public ConfigDef config() {
    return TempoSinkSettings.CONFIG;
  }
}
