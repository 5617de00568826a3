package io.otelstream.streams.traces;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The persistent RocksDB stores of tail sampling, each backed by a changelog topic. Nothing about
 * in-flight traces is kept on the heap.
 */
public final class TraceStores {
  /**
   * Span fragments: trace ID + sequence → the record value as received. Appended, never rewritten.
   */
  public static final String FRAGMENTS = "ts-fragments";

  /**
   * Trace ID → the trace's Avro TraceState (first seen, deadline, counts, tenant) while it is
   * gathered, then its Avro TraceDecision, kept for late spans until the decision cache TTL
   * (TraceEntry).
   */
  public static final String TRACES = "ts-traces";

  /** Deadline + trace ID → empty: the traces in decision order. */
  public static final String DEADLINES = "ts-deadlines";

  /** Expiry + trace ID → empty: when decisions leave the cache. */
  public static final String DECISION_EXPIRY = "ts-decision-expiry";

  public static final String[] ALL = {FRAGMENTS, TRACES, DEADLINES, DECISION_EXPIRY};

  private TraceStores() {}

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
  }
}
