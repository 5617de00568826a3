package io.otelstream.topics;

import java.time.Duration;

/** The topics of DESIGN.md, by their default names. */
public enum Topic {
  TRACES("otlp-traces", 12, Duration.ofHours(24)),
  METRICS("otlp-metrics", 12, Duration.ofHours(24)),
  LOGS("otlp-logs", 12, Duration.ofHours(24)),
  TRACES_SAMPLED("otlp-traces-sampled", 12, Duration.ofHours(24)),
  METRICS_PROCESSED("otlp-metrics-processed", 12, Duration.ofHours(24)),
  LOGS_PROCESSED("otlp-logs-processed", 12, Duration.ofHours(24)),
  DEADLETTER("otlp-deadletter", 3, Duration.ofDays(7)),
  /**
   * The streams app's metrics aggregation stage reads what its first stage wrote here, keyed by
   * tenant and metric name (a repartition: every series of a metric meets in one task). Kept as
   * long as the raw topics, so a streams app that was down that long loses nothing.
   */
  METRICS_AGGREGATION("otlp-metrics-aggregation", 12, Duration.ofHours(24));

  private final String defaultName;
  private final int defaultPartitions;
  private final Duration defaultRetention;

  Topic(String defaultName, int defaultPartitions, Duration defaultRetention) {
    this.defaultName = defaultName;
    this.defaultPartitions = defaultPartitions;
    this.defaultRetention = defaultRetention;
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

  public static Topic byDefaultName(String name) {
    for (Topic t : values()) {
      if (t.defaultName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
