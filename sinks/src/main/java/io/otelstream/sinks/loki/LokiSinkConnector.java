package io.otelstream.sinks.loki;

import io.otelstream.sinks.OtelstreamSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** otlp-logs-processed to Grafana Loki over the push API, at least once. */
public final class LokiSinkConnector extends OtelstreamSinkConnector {
  @Override
  protected void validateSettings(Map<String, String> props) {
    new LokiSinkSettings(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return LokiSinkTask.class;
  }

  @Override
  public ConfigDef config() {
    return LokiSinkSettings.CONFIG;
  }
}
