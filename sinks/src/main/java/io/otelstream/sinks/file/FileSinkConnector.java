package io.otelstream.sinks.file;

import io.otelstream.sinks.SinkVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/** Writes an otelstream topic as OTLP JSON lines with size rotation: the dev-mode default. */
public final class FileSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new FileSinkSettings(props); // fail fast with the offending key
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return FileSinkTask.class;
  }

  /** One task: a single writer owns the file. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    configs.add(props);
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return FileSinkSettings.CONFIG;
  }

  @Override
  public String version() {
    return SinkVersion.VERSION;
  }
}
