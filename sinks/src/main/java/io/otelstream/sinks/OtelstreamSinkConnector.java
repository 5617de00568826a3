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

  /** A config provider reference left as it was written: the worker did not resolve it. */
  private static final java.util.regex.Pattern UNRESOLVED =
      java.util.regex.Pattern.compile("\\$\\{(\\w+):[^}]*\\}");

  @Override
  public void start(Map<String, String> props) {
    refuseUnresolvedReferences(props);
    validateSettings(props);
    this.props = Map.copyOf(props);
  }

  /**
   * Refuses settings that still hold a {@code ${provider:...}} reference when the connector starts
   * (Connect resolves them before): for {@code ${env:NAME}}, a variable outside the worker's
   * allow-list ({@code config.providers.env.param.allowlist.pattern}) or unset. Without this the
   * literal text would be sent to the backend as, say, a password.
   */
  static void refuseUnresolvedReferences(Map<String, String> props) {
    props.forEach(
        (key, value) -> {
          if (value == null) {
            return;
          }
          java.util.regex.Matcher m = UNRESOLVED.matcher(value);
          if (m.find()) {
            throw new ConfigException(
                key,
                m.group(),
                "the worker did not resolve this reference: "
                    + ("env".equals(m.group(1))
                        ? "the variable is not in the worker's allow-list"
                            + " (config.providers.env.param.allowlist.pattern) or is unset"
                        : "no config provider named '" + m.group(1) + "' resolved it"));
          }
        });
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
