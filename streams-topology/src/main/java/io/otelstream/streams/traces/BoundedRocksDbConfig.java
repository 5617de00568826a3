package io.otelstream.streams.traces;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/** Puts every Kafka Streams RocksDB store of the app on the shared {@link RocksDbMemory} budget. */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {
  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    RocksDbMemory.shared(configs).apply(options);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffer manager are shared by every store: never closed per store.
  }
}
