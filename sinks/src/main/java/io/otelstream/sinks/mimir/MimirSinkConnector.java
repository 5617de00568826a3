package io.otelstream.sinks.mimir;

import io.otelstream.sinks.OtelstreamSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** otlp-metrics-processed to Grafana Mimir over Prometheus remote write 1.0, at least once. */
public final class MimirSinkConnector extends OtelstreamSinkConnector {
  @Override
  protected void validateSettings(Map<String, String> props) {
    new MimirSinkSettings(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return MimirSinkTask.class;
  }

  @Override
  public ConfigDef config() {
    return MimirSinkSettings.CONFIG;
  }
}
