package io.otelstream.streams.traces;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A task's in-flight traces held on the heap, within the instance's {@link InFlightHeap} budget:
 * most traces are decided within decision_wait of their first span, so keeping them here costs no
 * store write or read at all. Like the disk tier it is lost on a crash and rebuilt from the input
 * topic, so it needs no durability of its own.
 *
 * <p>Two indexes find traces without a scan: deadline order (a priority queue) for deciding, and
 * arrival order (a queue; offsets only grow) for the low watermark. A trace removed early stays in
 * them, marked gone, until it reaches their head or they are compacted.
 */
final class HeapTraces {
  // What one trace and one fragment cost beyond the record bytes (objects, references, indexes).
  static final int TRACE_OVERHEAD = 200;
  static final int FRAGMENT_OVERHEAD = 24;

  /** Deadline, then trace ID as unsigned bytes: the disk tier's key order, so both agree. */
  static final Comparator<Trace> BY_DEADLINE =
      Comparator.<Trace>comparingLong(t -> t.state.deadlineMs())
          .thenComparing(t -> t.id, Arrays::compareUnsigned);

  /** One trace being gathered. */
  static final class Trace {
    final byte[] id;
    GatherState state;
    private List<byte[]> values = new ArrayList<>(4);
    private long bytes;
    private boolean gone;

    private Trace(byte[] id, GatherState state) {
      this.id = id;
      this.state = state;
    }
  }

  private final InFlightHeap budget;
  private final Map<TraceKey, Trace> live = new HashMap<>();
  private final PriorityQueue<Trace> byDeadline = new PriorityQueue<>(BY_DEADLINE);
  private final ArrayDeque<Trace> byArrival = new ArrayDeque<>();

  HeapTraces(InFlightHeap budget) {
    this.budget = budget;
  }

  int size() {
    return live.size();
  }

  Trace get(byte[] traceId) {
    return live.get(TraceKey.of(traceId));
  }

  /** Starts a trace here if the budget allows; false when it does not. */
  boolean tryStart(byte[] traceId, GatherState state, byte[] value) {
    long cost = TRACE_OVERHEAD + FRAGMENT_OVERHEAD + value.length;
    if (!budget.tryReserve(cost)) {
      return false;
    }
    Trace t = new Trace(traceId, state);
    t.values.add(value);
    t.bytes = cost;
    live.put(TraceKey.of(traceId), t);
    byDeadline.add(t);
    byArrival.add(t);
    return true;
  }

  /** Adds a fragment to {@code t} if the budget allows; false when it does not. */
  boolean tryAdd(Trace t, GatherState state, byte[] value) {
    long cost = FRAGMENT_OVERHEAD + value.length;
    if (!budget.tryReserve(cost)) {
      return false;
    }
    t.values.add(value);
    t.bytes += cost;
    t.state = state; // the deadline never changes, so the deadline index stays ordered
    return true;
  }

  /** The trace's fragments, in input order. */
  List<byte[]> fragments(Trace t) {
    return t.values;
  }

  /** Forgets a trace (decided, or moved to disk) and gives its bytes back to the budget. */
  void remove(Trace t) {
    live.remove(TraceKey.of(t.id));
    t.gone = true;
    t.values = null;
    budget.release(t.bytes);
    // Entries of traces removed before their deadline wait in the indexes; keep them few.
    if (byDeadline.size() > 2 * live.size() + 1024) {
      byDeadline.removeIf(e -> e.gone);
    }
    if (byArrival.size() > 2 * live.size() + 1024) {
      byArrival.removeIf(e -> e.gone);
    }
  }

  /** The trace with the earliest deadline, or null. */
  Trace oldest() {
    Trace t = byDeadline.peek();
    while (t != null && t.gone) {
      byDeadline.poll();
      t = byDeadline.peek();
    }
    return t;
  }

  /** Takes the trace with the earliest deadline off the deadline index if due by {@code timeMs}. */
  Trace pollDue(long timeMs) {
    Trace t = oldest();
    if (t == null || t.state.deadlineMs() > timeMs) {
      return null;
    }
    return byDeadline.poll();
  }

  /** Input offset of the first record of the oldest trace here, or Long.MAX_VALUE. */
  long lowestFirstOffset() {
    Trace t = byArrival.peek();
    while (t != null && t.gone) {
      byArrival.poll();
      t = byArrival.peek();
    }
    return t == null ? Long.MAX_VALUE : t.state.firstOffset();
  }

  /** Gives every trace's bytes back to the budget (the task closes). */
  void clear() {
    for (Trace t : live.values()) {
      budget.release(t.bytes);
    }
    live.clear();
    byDeadline.clear();
    byArrival.clear();
  }

  /** A 16-byte trace ID as a map key: two longs hash and compare without a loop. */
  private record TraceKey(long high, long low) {
    static TraceKey of(byte[] traceId) {
      ByteBuffer b = ByteBuffer.wrap(traceId);
      return new TraceKey(b.getLong(0), b.getLong(8));
    }
  }
}
