package io.otelstream.config;

import java.util.Map;

/**
 * Client properties a component's guarantees rest on. Configuration passes Kafka properties through
 * unchanged, except these: setting one to anything but its safe value fails at startup with the key
 * path and what it would break, unless the component's documented opt-out ({@code
 * allow_unsafe_kafka_overrides: true}) is set.
 */
public final class GuardedProperties {
  /** One guarded property: its safe value (null: no override allowed at all) and why. */
  public record Guard(String safeValue, String why) {}

  private GuardedProperties() {}

  /**
   * @param path the configuration path of the properties, e.g. {@code kafka}
   * @param configured the properties as configured
   * @param guards key → guard
   * @param allowUnsafe the opt-out
   * @throws ConfigException naming the first unsafe override
   */
  public static void check(
      String path, Map<String, String> configured, Map<String, Guard> guards, boolean allowUnsafe) {
    if (allowUnsafe) {
      return;
    }
    for (Map.Entry<String, Guard> g : guards.entrySet()) {
      String value = configured.get(g.getKey());
      if (value == null) {
        continue;
      }
      String safe = g.getValue().safeValue();
      if (safe == null || !safe.equalsIgnoreCase(value.trim())) {
        throw new ConfigException(
            path
                + "."
                + g.getKey()
                + ": "
                + value
                + " is refused: "
                + g.getValue().why()
                + ". Remove it"
                + (safe == null ? "" : " (or set it to " + safe + ")")
                + ", or set allow_unsafe_kafka_overrides: true to accept the risk");
      }
    }
  }
}
