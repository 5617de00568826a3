package io.otelstream.sinks;

import org.apache.kafka.common.config.ConfigException;

/**
 * A setting that passes its own validator but contradicts another one. It carries the setting's
 * name so that Connect's validate endpoint reports it on that field.
 */
public final class InvalidSetting extends ConfigException {
  private final String name;

  public InvalidSetting(String name, Object value, String message) {
    super(name, value, message);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
