package io.otelstream.topics;

import io.otelstream.config.ByteSize;
import java.time.Duration;
import java.util.Map;

/**
 * The YAML shape of the topic catalogue. Every field is optional; omitted ones keep DESIGN.md's
 * defaults.
 *
 * @param prefix prepended to every topic name (default none)
 * @param replicationFactor default replication factor (default 3; 1 in dev mode)
 * @param minInsyncReplicas default {@code min.insync.replicas} (default 2; 1 in dev mode)
 * @param compression {@code compression.type} of every topic (default: by topic; the raw topics
 *     {@code producer}, which keeps the edge's snappy batches as they are, the others lz4, which
 *     the broker applies to the streams app's uncompressed batches); null keeps those defaults
 * @param maxMessageBytes default {@code max.message.bytes} (default 1MiB)
 * @param topics per-topic overrides keyed by the default topic name
 */
public record TopicsConfig(
    String prefix,
    Short replicationFactor,
    Integer minInsyncReplicas,
    String compression,
    ByteSize maxMessageBytes,
    Map<String, Override> topics) {

  /** Overrides for one topic; omitted fields inherit the defaults. */
  public record Override(
      String name,
      Integer partitions,
      Short replicationFactor,
      Duration retention,
      String compression,
      Integer minInsyncReplicas,
      ByteSize maxMessageBytes) {}

  public TopicsConfig {
    prefix = prefix == null ? "" : prefix;
    replicationFactor = replicationFactor == null ? 3 : replicationFactor;
    minInsyncReplicas = minInsyncReplicas == null ? 2 : minInsyncReplicas;
    maxMessageBytes = maxMessageBytes == null ? ByteSize.ofMebibytes(1) : maxMessageBytes;
    topics = topics == null ? Map.of() : Map.copyOf(topics);
    for (String key : topics.keySet()) {
      if (Topic.byDefaultName(key) == null) {
        throw new IllegalArgumentException(
            "unknown topic '" + key + "' under topics; known: " + knownNames());
      }
    }
  }

  public static TopicsConfig defaults() {
    return new TopicsConfig(null, null, null, null, null, null);
  }

  /** Single-broker defaults: replication factor 1, min.insync.replicas 1. */
  public static TopicsConfig singleBroker() {
    return new TopicsConfig(null, (short) 1, 1, null, null, null);
  }

  private static String knownNames() {
    StringBuilder sb = new StringBuilder();
    for (Topic t : Topic.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(t.defaultName());
    }
    return sb.toString();
  }
}
