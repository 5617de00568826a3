package io.otelstream.sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkConnector;

/** What the otelstream connectors share: validate on start, hand every task the same settings. */
public abstract class OtelstreamSinkConnector extends SinkConnector {
  private Map<String, String> props;

  /** Parses the settings, throwing ConfigException with the offending key. */
  protected abstract void validateSettings(Map<String, String> props);

  /** How many tasks may run at once; 1 where a single writer must own the output. */
  protected int maxTasks(int requested) {
    return requested;
  }

  @Override
  public void start(Map<String, String> props) {
    validateSettings(props);
    this.props = Map.copyOf(props);
  }

  /**
   * Field validators first; when they all pass, the rules between settings, reported on the field
   * they name so the validate endpoint shows them per field too.
   */
  @Override
  public Config validate(Map<String, String> props) {
    Config config = super.validate(props);
    if (config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
      return config;
    }
    try {
      validateSettings(props);
    } catch (InvalidSetting e) {
      config.configValues().stream()
          .filter(v -> v.name().equals(e.name()))
          .findFirst()
          .ifPresent(v -> v.addErrorMessage(e.getMessage()));
    } catch (ConfigException e) {
      ConfigValue first = config.configValues().get(0);
      first.addErrorMessage(e.getMessage());
    }
    return config;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks(maxTasks); i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return SinkVersion.VERSION;
  }
}
