package io.otelstream.topics;

import io.otelstream.schemas.Signal;
import java.time.Duration;

/** The topics of DESIGN.md, by their default names. */
public enum Topic {
  TRACES(Signal.TRACES.rawTopic(), 12, Duration.ofHours(24), Compression.PRODUCER),
  METRICS(Signal.METRICS.rawTopic(), 12, Duration.ofHours(24), Compression.PRODUCER),
  LOGS(Signal.LOGS.rawTopic(), 12, Duration.ofHours(24), Compression.PRODUCER),
  TRACES_SAMPLED(Signal.TRACES.processedTopic(), 12, Duration.ofHours(24), Compression.BROKER),
  METRICS_PROCESSED(Signal.METRICS.processedTopic(), 12, Duration.ofHours(24), Compression.BROKER),
  LOGS_PROCESSED(Signal.LOGS.processedTopic(), 12, Duration.ofHours(24), Compression.BROKER),
  DEADLETTER("otlp-deadletter", 3, Duration.ofDays(7), Compression.BROKER),
  /**
   * The streams app's metrics aggregation stage reads what its first stage wrote here, keyed by
   * tenant and metric name (a repartition: every series of a metric meets in one task). Kept as
   * long as the raw topics, so a streams app that was down that long loses nothing.
   */
  METRICS_AGGREGATION("otlp-metrics-aggregation", 12, Duration.ofHours(24), Compression.BROKER);

  /** Default {@code compression.type}s, so that the broker never recompresses a batch. */
  private static final class Compression {
    /**
     * The raw topics keep the batches as the edge compressed them (snappy by default, any codec an
     * operator gives the edge): a topic codec other than the producer's makes the broker decompress
     * and recompress every batch.
     */
    static final String PRODUCER = "producer";

    /** Kafka Streams' producers send uncompressed; the broker compresses once, on append. */
    static final String BROKER = "lz4";
  }

  private final String defaultName;
  private final int defaultPartitions;
  private final Duration defaultRetention;
  private final String defaultCompression;

  Topic(
      String defaultName,
      int defaultPartitions,
      Duration defaultRetention,
      String defaultCompression) {
    this.defaultName = defaultName;
    this.defaultPartitions = defaultPartitions;
    this.defaultRetention = defaultRetention;
    this.defaultCompression = defaultCompression;
  }

  public String defaultName() {
    return defaultName;
  }

  int defaultPartitions() {
    return defaultPartitions;
  }

  Duration defaultRetention() {
    return defaultRetention;
  }

  String defaultCompression() {
    return defaultCompression;
  }

  /** The topic the edge writes {@code signal} to. */
  public static Topic raw(Signal signal) {
    return switch (signal) {
      case TRACES -> TRACES;
      case METRICS -> METRICS;
      case LOGS -> LOGS;
    };
  }

  /** The topic the streams app writes {@code signal} to, once sampled, processed or filtered. */
  public static Topic processed(Signal signal) {
    return switch (signal) {
      case TRACES -> TRACES_SAMPLED;
      case METRICS -> METRICS_PROCESSED;
      case LOGS -> LOGS_PROCESSED;
    };
  }

  public static Topic byDefaultName(String name) {
    for (Topic t : values()) {
      if (t.defaultName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
