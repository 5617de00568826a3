package io.otelstream.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a component's YAML file into its typed configuration: environment substitution first, then
 * strict binding (unknown keys fail), then the records' own validation. Every failure names the key
 * path.
 */
public final class ConfigLoader {
  private final ObjectMapper mapper;
  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
    SimpleModule units = new SimpleModule("otelstream-units");
    units.addDeserializer(Duration.class, new DurationDeserializer());
    units.addDeserializer(ByteSize.class, new ByteSizeDeserializer());
    this.mapper =
        new ObjectMapper(new YAMLFactory())
            .registerModule(units)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
  }

  public static ConfigLoader withSystemEnv() {
    return new ConfigLoader(System.getenv());
  }

  public <T> T load(Path file, Class<T> type) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    return parse(text, type, file.toString());
  }

  /**
   * Reads a Java properties file (Kafka client settings, as Kafka's own tools take them) with the
   * same environment substitution as the YAML files, so secrets can come from the environment.
   */
  public Map<String, String> loadProperties(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read properties file " + file + ": " + e.getMessage());
    }
    java.util.Properties properties = new java.util.Properties();
    try {
      properties.load(new java.io.StringReader(EnvSubstitution.apply(text, env)));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(file + ": not a valid properties file: " + e.getMessage());
    }
    Map<String, String> out = new java.util.TreeMap<>();
    properties.stringPropertyNames().forEach(k -> out.put(k, properties.getProperty(k)));
    return out;
  }

  /** Parses YAML text; an empty document gives the all-defaults configuration. */
  public <T> T parse(String yaml, Class<T> type, String source) {
    try {
      // Substituted in the parsed values, not the text: a value with ': ', '#' or quotes stays one
      // value, and a reference inside a comment is never looked up.
      com.fasterxml.jackson.databind.JsonNode tree = yaml.isBlank() ? null : mapper.readTree(yaml);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return mapper.readValue("{}", type);
      }
      return mapper.treeToValue(substitute(tree), type);
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ", " (known keys: ", ")"));
      throw new ConfigException(source + ": unknown key '" + path(e) + "'" + known);
    } catch (JsonMappingException e) {
      Throwable root = e.getCause() != null ? e.getCause() : e;
      String reason =
          root instanceof IllegalArgumentException || root instanceof ConfigException
              ? root.getMessage()
              : e.getOriginalMessage();
      throw new ConfigException(source + ": invalid value at '" + path(e) + "': " + reason, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  private com.fasterxml.jackson.databind.JsonNode substitute(
      com.fasterxml.jackson.databind.JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      java.util.List<String> names = new java.util.ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        object.set(name, substitute(object.get(name)));
      }
      return object;
    }
    if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, substitute(array.get(i)));
      }
      return array;
    }
    if (node.isTextual()) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(
          EnvSubstitution.apply(node.textValue(), env));
    }
    return node;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
