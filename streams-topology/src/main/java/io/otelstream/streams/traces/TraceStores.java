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

  /**
   * Kind + time + trace ID → empty: the deadlines of traces being gathered and the expiries of
   * cached decisions, two time indexes in one store (TimeIndex).
   */
  public static final String TIMERS = "ts-timers";

  public static final String[] ALL = {FRAGMENTS, TRACES, TIMERS};

  private TraceStores() {}

  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(String name) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
  }
}
