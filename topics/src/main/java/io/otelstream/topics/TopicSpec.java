package io.otelstream.topics;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;

/** One topic as it should exist on the cluster. */
public record TopicSpec(
    Topic topic,
    String name,
    int partitions,
    short replicationFactor,
    Duration retention,
    String compression,
    int minInsyncReplicas,
    int maxMessageBytes) {

  /** The topic-level configs this spec manages; others on the cluster are left alone. */
  public Map<String, String> configs() {
    Map<String, String> c = new TreeMap<>();
    c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    c.put(TopicConfig.COMPRESSION_TYPE_CONFIG, compression);
    c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    return c;
  }
}
