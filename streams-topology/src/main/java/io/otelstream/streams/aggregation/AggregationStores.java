package io.otelstream.streams.aggregation;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The changelogged stores of the metrics aggregation stage. Keys nest so that a prefix scan finds
 * what belongs together: a metric's series (metric key + series id), a series' sources (metric key
 * + series id + source id).
 */
public final class AggregationStores {
  /** metric key (16) + series id (16) → Avro AggregateSeries. */
  public static final String SERIES = "ma-series";

  /** metric key (16) + series id (16) + source id (16) → Avro AggregateSource. */
  public static final String SOURCES = "ma-sources";

  /** metric key (16) → Avro CardinalityGuard. */
  public static final String GUARD = "ma-guard";

  public static final String[] ALL = {SERIES, SOURCES, GUARD};

  private AggregationStores() {}

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
    // Cached: a series or source written by every point of a commit interval reaches the
    // changelog once per commit.
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingEnabled();
  }
}
