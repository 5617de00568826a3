package io.otelstream.streams.traces;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The changelogged stores of tail sampling; both small. In-flight spans are not among them: they
 * stay in the input topic and the task's {@link LocalTraceStore}.
 */
public final class TraceStores {
  /**
   * Decision cache: batches of decisions by slice of expiry time, for the decision cache TTL
   * ({@link DecisionRecords}; their index is local, rebuilt from these at task start).
   */
  public static final String DECISIONS = "ts-decisions";

  /** Partition → Avro PartitionWatermark: where a rebuild starts and ends. */
  public static final String WATERMARKS = "ts-watermarks";

  public static final String[] ALL = {DECISIONS, WATERMARKS};

  private TraceStores() {}

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
    // Both are written rarely (a batch of decisions and a watermark about once a second) and read
    // at once: no record cache.
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingDisabled();
  }
}
