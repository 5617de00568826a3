package io.otelstream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A component's effective configuration (defaults filled in) as one line of JSON with the keys of
 * its YAML file, for the startup log; the values of secret-looking keys (passwords, tokens,
 * secrets, private keys, SASL JAAS configurations) are replaced by {@code ***}.
 */
public final class EffectiveConfig {
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|credential|private[._]?key|jaas|api[._]?key).*");
  private static final String MASK = "***";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          // Durations as ISO-8601 (PT10S); no java.time module needed for that.
          .registerModule(
              new com.fasterxml.jackson.databind.module.SimpleModule("otelstream-effective")
                  .addSerializer(
                      java.time.Duration.class,
                      com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance))
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private EffectiveConfig() {}

  public static String describe(Object config) {
    JsonNode tree = JSON.valueToTree(config);
    mask(tree);
    return tree.toString();
  }

  private static void mask(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode child = object.get(name);
        if (SECRET.matcher(name).matches() && !child.isNull() && !child.isContainerNode()) {
          object.put(name, MASK);
        } else if (SECRET.matcher(name).matches() && child.isContainerNode()) {
          maskAll(child);
        } else {
          mask(child);
        }
      }
    } else if (node.isArray()) {
      node.forEach(EffectiveConfig::mask);
    }
  }

  /** A list or map under a secret key: its scalar items are masked, its objects walked. */
  private static void maskAll(JsonNode node) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isContainerNode()) {
          mask(node.get(i));
        } else {
          ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, MASK);
        }
      }
    } else {
      mask(node);
    }
  }
}
