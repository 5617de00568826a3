package io.otelstream.streams.traces;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A task's in-flight traces in two tiers: on the heap while the instance's {@link InFlightHeap}
 * budget allows ({@link HeapTraces}), else in the task's own RocksDB ({@link DiskTraces}). A trace
 * lives in one tier at a time; one that outgrows the budget moves to disk whole. Neither tier is
 * changelogged: both are empty at open and rebuilt from the input partition, so the tiers change
 * cost, never what is decided. Both hand traces out in the same order (deadline, then trace ID), so
 * decisions and output do not depend on which tier held a trace.
 */
final class LocalTraceStore implements AutoCloseable {
  private final HeapTraces heap;
  private final DiskTraces disk;
  private final Runnable spilled;
  private final AtomicLong instanceInFlight;

  private LocalTraceStore(
      HeapTraces heap, DiskTraces disk, Runnable spilled, AtomicLong instanceInFlight) {
    this.heap = heap;
    this.disk = disk;
    this.spilled = spilled;
    this.instanceInFlight = instanceInFlight;
  }

  /**
   * Opens an empty store; the disk tier in {@code dir}, deleting whatever an earlier run left
   * there.
   *
   * @param spilled called for each trace that goes to disk because the heap budget is spent
   * @param instanceInFlight the instance's count of traces being gathered, over all its tasks'
   *     stores: this store alone changes it, as traces start and go and when it closes
   */
  static LocalTraceStore openEmpty(
      Path dir,
      RocksDbMemory memory,
      InFlightHeap budget,
      Runnable spilled,
      AtomicLong instanceInFlight) {
    return new LocalTraceStore(
        new HeapTraces(budget), DiskTraces.openEmpty(dir, memory), spilled, instanceInFlight);
  }

  /** Traces being gathered. */
  long size() {
    return heap.size() + disk.size();
  }

  GatherState state(byte[] traceId) {
    HeapTraces.Trace t = heap.get(traceId);
    if (t != null) {
      return t.state;
    }
    return disk.size() > 0 ? disk.state(traceId) : null;
  }

  /** Starts a trace with its first fragment. */
  void start(byte[] traceId, GatherState state, byte[] value) {
    if (!heap.tryStart(traceId, state, value)) {
      disk.start(traceId, state, value);
      spilled.run();
    }
    instanceInFlight.incrementAndGet();
  }

  /** Adds a later fragment of a trace being gathered. */
  void add(byte[] traceId, GatherState state, byte[] value) {
    HeapTraces.Trace t = heap.get(traceId);
    if (t == null) {
      disk.add(traceId, state, value);
    } else if (!heap.tryAdd(t, state, value)) {
      List<byte[]> values = new ArrayList<>(heap.fragments(t));
      values.add(value);
      heap.remove(t);
      disk.startAll(traceId, state, values);
      spilled.run();
    }
  }

  /** The record values of the trace's fragments, in input order. */
  List<byte[]> fragments(byte[] traceId, GatherState state) {
    HeapTraces.Trace t = heap.get(traceId);
    return t != null ? heap.fragments(t) : disk.fragments(traceId, state);
  }

  /** Forgets a decided trace; {@code dueByDeadline} when {@link #forEachDue} handed it out. */
  void remove(byte[] traceId, GatherState state, boolean dueByDeadline) {
    HeapTraces.Trace t = heap.get(traceId);
    if (t != null) {
      heap.remove(t);
    } else {
      disk.remove(traceId, state, dueByDeadline);
    }
    instanceInFlight.decrementAndGet();
  }

  /**
   * Hands the traces whose deadline is at or before {@code timeMs} to {@code decide}, from both
   * tiers in (deadline, trace ID) order, until {@code stopAtNanos} (System.nanoTime) passes;
   * returns whether all were handed.
   */
  boolean forEachDue(long timeMs, BiConsumer<byte[], GatherState> decide, long stopAtNanos) {
    if (disk.size() == 0) {
      while (true) {
        HeapTraces.Trace t = heap.oldest();
        if (t == null || t.state.deadlineMs() > timeMs) {
          return true;
        }
        if (System.nanoTime() > stopAtNanos) {
          return false;
        }
        heap.pollDue(timeMs);
        decide.accept(t.id, t.state);
      }
    }
    try (DiskTraces.Due due = disk.due(timeMs)) {
      while (true) {
        HeapTraces.Trace h = heap.oldest();
        boolean heapDue = h != null && h.state.deadlineMs() <= timeMs;
        if (!heapDue && !due.valid()) {
          return true;
        }
        if (System.nanoTime() > stopAtNanos) {
          return false;
        }
        if (due.valid() && (!heapDue || before(due.deadline(), due.traceId(), h))) {
          byte[] traceId = due.traceId();
          GatherState state = disk.state(traceId);
          if (state != null) {
            decide.accept(traceId, state);
          }
          due.next();
        } else {
          heap.pollDue(timeMs);
          decide.accept(h.id, h.state);
        }
      }
    }
  }

  private static boolean before(long deadlineMs, byte[] traceId, HeapTraces.Trace t) {
    long d = t.state.deadlineMs();
    return deadlineMs < d || (deadlineMs == d && Arrays.compareUnsigned(traceId, t.id) < 0);
  }

  /** The trace with the earliest deadline (the oldest), or null when none is gathered. */
  byte[] oldest() {
    HeapTraces.Trace h = heap.oldest();
    byte[] d = disk.size() > 0 ? disk.oldest() : null;
    if (d == null) {
      return h == null ? null : h.id;
    }
    if (h == null) {
      return d;
    }
    return before(disk.state(d).deadlineMs(), d, h) ? d : h.id;
  }

  /** Input offset of the first record of the oldest trace still gathered, or {@code otherwise}. */
  long lowWatermark(long otherwise) {
    long heapLow = heap.lowestFirstOffset();
    long diskLow = disk.size() > 0 ? disk.lowWatermark(Long.MAX_VALUE) : Long.MAX_VALUE;
    long low = Math.min(heapLow, diskLow);
    return low == Long.MAX_VALUE ? otherwise : low;
  }

  /** The decision cache's index, kept in the disk tier's RocksDB and wiped with it. */
  DecisionIndex decisionIndex() {
    return disk.decisionIndex();
  }

  /** Closes the store; its traces no longer count as in flight here (a rebuild gathers them). */
  @Override
  public void close() {
    instanceInFlight.addAndGet(-size());
    heap.clear();
    disk.close();
  }
}
