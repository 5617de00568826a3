package io.otelstream.sinks;

import io.otelstream.schemas.Signal;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Settings every otelstream sink shares: what the records are, and how they are batched. */
public class SinkSettings extends AbstractConfig {
  public static final String SIGNAL = "otlp.signal";
  public static final String BATCH_MAX_RECORDS = "batch.max.records";
  public static final String BATCH_MAX_BYTES = "batch.max.bytes";
  public static final String BATCH_LINGER_MS = "batch.linger.ms";
  public static final String TENANT = "tenant.static";
  public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String KAFKA_GROUP = "kafka.group.id";

  /** Prefix of the Admin client settings the retention check uses (bootstrap, security). */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final String RECORDS_GROUP = "Records";
  private static final String BATCHING_GROUP = "Batching";
  private static final String KAFKA_GROUP_NAME = "Kafka";

  protected SinkSettings(ConfigDef definition, Map<String, String> props) {
    super(definition, props);
  }

  /** The shared part of every sink's ConfigDef; connectors add their own entries. */
  public static ConfigDef base() {
    return new ConfigDef()
        .define(
            SIGNAL,
            Type.STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            ConfigDef.CaseInsensitiveValidString.in(
                java.util.Arrays.stream(Signal.values()).map(Signal::key).toArray(String[]::new)),
            Importance.HIGH,
            "Which OTLP export request the topic's records hold: traces, metrics or logs.",
            RECORDS_GROUP,
            1,
            Width.SHORT,
            "OTLP signal")
        .define(
            TENANT,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Tenant (X-Scope-OrgID) of records without an otelstream.tenant header (default: none).",
            RECORDS_GROUP,
            2,
            Width.MEDIUM,
            "Static tenant")
        .define(
            BATCH_MAX_RECORDS,
            Type.INT,
            500,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "A batch is sent once it holds this many records.",
            BATCHING_GROUP,
            1,
            Width.SHORT,
            "Max records per batch")
        .define(
            BATCH_MAX_BYTES,
            Type.LONG,
            4L << 20,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "A batch is sent once its record values reach this many bytes.",
            BATCHING_GROUP,
            2,
            Width.SHORT,
            "Max bytes per batch")
        .define(
            BATCH_LINGER_MS,
            Type.LONG,
            1000L,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "A batch is sent at the latest this long after its first record arrived.",
            BATCHING_GROUP,
            3,
            Width.SHORT,
            "Batch linger (ms)")
        .define(
            KAFKA_BOOTSTRAP,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Brokers of the input topics, for counting records retention deleted before this sink"
                + " read them (records-lost-to-retention-total). Any other Admin client setting"
                + " (security.protocol, sasl.*, ssl.*) is given with the same kafka. prefix."
                + " Unset: no such count, and a warning at start.",
            KAFKA_GROUP_NAME,
            1,
            Width.LONG,
            "Kafka bootstrap servers")
        .define(
            KAFKA_GROUP,
            Type.STRING,
            null,
            Importance.LOW,
            "The sink's consumer group, when overridden (default: connect-<connector name>).",
            KAFKA_GROUP_NAME,
            2,
            Width.MEDIUM,
            "Consumer group");
  }

  public Signal signal() {
    return Signal.of(getString(SIGNAL));
  }

  /** The tenant of records without a tenant header, or null. */
  public String staticTenant() {
    return getString(TENANT);
  }

  public int batchMaxRecords() {
    return getInt(BATCH_MAX_RECORDS);
  }

  public long batchMaxBytes() {
    return getLong(BATCH_MAX_BYTES);
  }

  /** Admin client settings for the retention check (the kafka.-prefixed ones), or empty. */
  public Map<String, Object> kafkaAdmin() {
    return getString(KAFKA_BOOTSTRAP) == null ? Map.of() : originalsWithPrefix(KAFKA_PREFIX);
  }

  /** The sink's consumer group, as Connect names it unless overridden. */
  public String consumerGroup(String connectorName) {
    return getString(KAFKA_GROUP) != null ? getString(KAFKA_GROUP) : "connect-" + connectorName;
  }

  public long batchLingerMs() {
    return getLong(BATCH_LINGER_MS);
  }
}
