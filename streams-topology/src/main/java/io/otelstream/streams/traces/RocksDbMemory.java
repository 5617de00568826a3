package io.otelstream.streams.traces;

import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One off-heap memory budget for every RocksDB instance of the process: the Streams stores (through
 * {@link BoundedRocksDbConfig}) and the tasks' local trace stores share one block cache, and their
 * memtables are charged to it through one write buffer manager, so RocksDB's memory stays within
 * {@code rocksdb_memory} however many tasks the instance runs.
 */
public final class RocksDbMemory {
  /** Streams property carrying the budget in bytes (set by StreamsAppConfig). */
  public static final String MEMORY_BYTES = "otelstream.rocksdb.memory.bytes";

  /** Default budget: block cache, index and filter blocks and memtables together. */
  public static final long DEFAULT_BYTES = 256L << 20;

  private static RocksDbMemory shared;

  private final long bytes;
  private final Cache cache;
  private final WriteBufferManager writeBuffers;

  private RocksDbMemory(long bytes) {
    RocksDB.loadLibrary();
    this.bytes = bytes;
    // Half of the budget may hold memtables; high-priority pool keeps index and filter blocks.
    this.cache = new LRUCache(bytes, -1, false, 0.1);
    this.writeBuffers = new WriteBufferManager(bytes / 2, cache);
  }

  /** The process-wide budget, created on first use from the Streams configuration. */
  public static synchronized RocksDbMemory shared(Map<String, ?> configs) {
    if (shared == null) {
      Object v = configs.get(MEMORY_BYTES);
      shared = new RocksDbMemory(v == null ? DEFAULT_BYTES : Long.parseLong(v.toString()));
    }
    return shared;
  }

  long bytes() {
    return bytes;
  }

  /** Charges one RocksDB instance's memory to the shared budget. */
  public void apply(Options options) {
    BlockBasedTableConfig table =
        options.tableFormatConfig() instanceof BlockBasedTableConfig existing
            ? existing
            : new BlockBasedTableConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(writeBuffers);
    options.setMaxWriteBufferNumber(3);
    // Large memtables: a fragment usually dies (its trace decided) before its memtable is flushed,
    // and a put and its delete in one memtable never reach a file.
    options.setWriteBufferSize(Math.max(1L << 20, Math.min(64L << 20, bytes / 8)));
  }
}
