package io.otelstream.streams.traces;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap one instance may spend on in-flight traces, shared by all its tasks. Traces that do not
 * fit go to the tasks' local RocksDB stores, which {@code rocksdb_memory} bounds instead; so memory
 * stays flat however many traces are in flight, and a trace costs no store write while it fits.
 */
public final class InFlightHeap {
  /** Share of the JVM's maximum heap used when no budget is configured. */
  public static final double DEFAULT_SHARE = 0.25;

  private final long limitBytes;
  private final AtomicLong used = new AtomicLong();

  public InFlightHeap(long limitBytes) {
    if (limitBytes < 0) {
      throw new IllegalArgumentException("in_flight_heap must not be negative");
    }
    this.limitBytes = limitBytes;
  }

  /** The default budget: a quarter of the JVM's maximum heap. */
  public static InFlightHeap ofMaxHeap() {
    return new InFlightHeap((long) (Runtime.getRuntime().maxMemory() * DEFAULT_SHARE));
  }

  public long limitBytes() {
    return limitBytes;
  }

  /** Bytes held now. */
  public long usedBytes() {
    return used.get();
  }

  boolean tryReserve(long bytes) {
    long now;
    do {
      now = used.get();
      if (now + bytes > limitBytes) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return true;
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }
}
