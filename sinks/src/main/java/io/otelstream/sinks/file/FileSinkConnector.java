package io.otelstream.sinks.file;

import io.otelstream.sinks.OtelstreamSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** Writes an otelstream topic as OTLP JSON lines with size rotation: the dev-mode default. */
public final class FileSinkConnector extends OtelstreamSinkConnector {
  @Override
  protected void validateSettings(Map<String, String> props) {
    new FileSinkSettings(props);
  }

  /** One task: a single writer owns the file. */
  @Override
  protected int maxTasks(int requested) {
    return 1;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return FileSinkTask.class;
  }

  @Override
  public ConfigDef config() {
    return FileSinkSettings.CONFIG;
  }
}
