package io.otelstream.streams.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tiers of in-flight traces change cost, never outcome: the same arrivals give the same
 * traces handed out in the same order, with the same fragments and low watermarks, whether every
 * trace stays on the heap, every trace goes to disk, or traces are split between them and move to
 * disk when they outgrow the budget.
 */
class LocalTraceStoreTest {
  private static final long WAIT_MS = 400;

  @TempDir Path dir;

  @Test
  void heapDiskAndMixedHandOutTheSameTraces() {
    AtomicLong mixedSpills = new AtomicLong();
    InFlightHeap mixedBudget = new InFlightHeap(150_000);
    List<String> allHeap = run(new InFlightHeap(1L << 30), new AtomicLong(), "heap");
    List<String> allDisk = run(new InFlightHeap(0), new AtomicLong(), "disk");
    List<String> mixed = run(mixedBudget, mixedSpills, "mixed");

    assertTrue(allHeap.size() > 1000, "the run decides traces: " + allHeap.size());
    assertEquals(allDisk, allHeap);
    assertEquals(allDisk, mixed);
    assertTrue(mixedSpills.get() > 0, "the small budget sent traces to disk");
    assertEquals(0, mixedBudget.usedBytes(), "every trace decided gives its heap back");
  }

  /** Random arrivals with some clock skew, releases, and early decisions; returns what happened. */
  private List<String> run(InFlightHeap budget, AtomicLong spills, String name) {
    Random random = new Random(42);
    byte[][] ids = new byte[400][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = new byte[16];
      random.nextBytes(ids[i]);
    }
    List<String> log = new ArrayList<>();
    long spilledBefore = spills.get();
    AtomicLong inFlight = new AtomicLong();
    try (LocalTraceStore store =
        LocalTraceStore.openEmpty(
            dir.resolve(name),
            RocksDbMemory.shared(Map.of()),
            budget,
            spills::incrementAndGet,
            inFlight)) {
      long time = 1_000_000;
      for (long offset = 0; offset < 20_000; offset++) {
        byte[] id = ids[random.nextInt(ids.length)];
        long ts = time + offset * 2 + random.nextInt(100) - 50;
        byte[] value = new byte[100 + random.nextInt(1500)];
        random.nextBytes(value);
        GatherState state = store.state(id);
        if (state == null) {
          state = GatherState.first(ts, ts + WAIT_MS, offset, null).plus(offset, 1, value.length);
          store.start(id, state, value);
        } else {
          state = state.plus(offset, 1, value.length);
          store.add(id, state, value);
        }
        if (random.nextInt(60) == 0) {
          byte[] oldest = store.oldest();
          log.add("early " + decide(store, oldest, store.state(oldest), false));
        }
        if (offset % 25 == 0) {
          long due = time + offset * 2 - 100;
          store.forEachDue(
              due, (t, s) -> log.add("due " + decide(store, t, s, true)), Long.MAX_VALUE);
          log.add("low " + store.lowWatermark(offset + 1) + " size " + store.size());
          assertEquals(store.size(), inFlight.get(), name + ": the store counts what it holds");
        }
      }
      store.forEachDue(
          Long.MAX_VALUE - 1,
          (t, s) -> log.add("due " + decide(store, t, s, true)),
          Long.MAX_VALUE);
      assertEquals(0, store.size(), name + ": every trace decided");
      byte[] left = new byte[16];
      GatherState state = GatherState.first(0, WAIT_MS, 0, null).plus(0, 1, 10);
      store.start(left, state, new byte[10]);
      assertEquals(1, inFlight.get(), name + ": a trace left in flight");
    }
    assertEquals(0, inFlight.get(), name + ": closing gives back what the store held");
    if (name.equals("mixed")) {
      long decided = log.stream().filter(l -> !l.startsWith("low")).count();
      assertTrue(
          spills.get() - spilledBefore < decided / 2,
          "most traces stayed on the heap: " + (spills.get() - spilledBefore) + " of " + decided);
    }
    return log;
  }

  private static String decide(
      LocalTraceStore store, byte[] traceId, GatherState state, boolean dueByDeadline) {
    List<byte[]> fragments = store.fragments(traceId, state);
    store.remove(traceId, state, dueByDeadline);
    return HexFormat.of().formatHex(traceId)
        + " "
        + state.deadlineMs()
        + " "
        + fragments.size()
        + " "
        + fragments.stream().mapToInt(Arrays::hashCode).sum();
  }
}
