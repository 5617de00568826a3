package io.otelstream.topics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The resolved topic specs: DESIGN.md's defaults with the configuration's overrides applied. */
public final class TopicCatalog {
  private static final Set<String> COMPRESSIONS =
      Set.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd");

  private final Map<Topic, TopicSpec> specs = new EnumMap<>(Topic.class);

  public TopicCatalog(TopicsConfig config) {
    for (Topic topic : Topic.values()) {
      TopicsConfig.Override o =
          config
              .topics()
              .getOrDefault(
                  topic.defaultName(),
                  new TopicsConfig.Override(null, null, null, null, null, null, null));
      String path = "topics." + topic.defaultName() + ".";
      TopicSpec spec =
          new TopicSpec(
              topic,
              config.prefix() + (o.name() != null ? o.name() : topic.defaultName()),
              positive(path + "partitions", o.partitions(), topic.defaultPartitions()),
              (short)
                  positive(
                      path + "replication_factor",
                      o.replicationFactor() == null ? null : (int) o.replicationFactor(),
                      config.replicationFactor()),
              o.retention() != null ? o.retention() : topic.defaultRetention(),
              o.compression() != null
                  ? compression(path + "compression", o.compression())
                  : config.compression() != null
                      ? compression("topics.compression", config.compression())
                      : topic.defaultCompression(),
              positive(
                  path + "min_insync_replicas", o.minInsyncReplicas(), config.minInsyncReplicas()),
              positive(
                  path + "max_message_bytes",
                  o.maxMessageBytes() == null ? null : o.maxMessageBytes().toIntExact(),
                  config.maxMessageBytes().toIntExact()));
      if (spec.minInsyncReplicas() > spec.replicationFactor()) {
        throw new IllegalArgumentException(
            path
                + "min_insync_replicas "
                + spec.minInsyncReplicas()
                + " exceeds replication_factor "
                + spec.replicationFactor()
                + "; every acks=all write would fail");
      }
      specs.put(topic, spec);
    }
  }

  public TopicSpec spec(Topic topic) {
    return specs.get(topic);
  }

  public String name(Topic topic) {
    return specs.get(topic).name();
  }

  public List<TopicSpec> all() {
    return List.copyOf(specs.values());
  }

  private static int positive(String path, Integer value, int fallback) {
    int v = value != null ? value : fallback;
    if (v < 1) {
      throw new IllegalArgumentException(path + " must be at least 1, was " + v);
    }
    return v;
  }

  private static String compression(String path, String value) {
    if (!COMPRESSIONS.contains(value)) {
      throw new IllegalArgumentException(
          path + " must be one of " + COMPRESSIONS + ", was " + value);
    }
    return value;
  }
}
