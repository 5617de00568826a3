package io.otelstream.streams.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision cache against a plain model of its contract: a decision is found until its TTL has
 * passed and the low watermark has passed the last record it covers, and may be found no longer
 * than until its slice of the TTL is forgotten with it; a trace decided again keeps its new
 * decision whatever its old one's expiry does; and a task opened again over the same store (its
 * filter and index rebuilt) answers the same. Random decisions, late records, re-decisions and
 * expiries, with slices coming and going.
 */
class DecisionCacheTest {
  private static final long TTL = 10_000;

  @TempDir Path dir;
  private final KeyValueStore<Bytes, byte[]> store =
      Stores.keyValueStoreBuilder(
              Stores.inMemoryKeyValueStore("ts-decisions"),
              org.apache.kafka.common.serialization.Serdes.Bytes(),
              org.apache.kafka.common.serialization.Serdes.ByteArray())
          .withLoggingDisabled()
          .build();
  private LocalTraceStore local;
  private DecisionCache cache;
  private final AtomicLong filterHeap = new AtomicLong();
  private int opened;

  @AfterEach
  void close() {
    if (local != null) {
      local.close();
    }
    store.close();
  }

  @Test
  void answersAsItsContractSaysThroughRedecisionsExpiriesAndRestarts() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    Random random = new Random(11);
    byte[][] ids = new byte[1_000][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = new byte[16];
      random.nextBytes(ids[i]);
    }
    Map<String, DecisionCache.Decision> model = new HashMap<>();
    Map<String, DecisionCache.Decision> forgettable = new HashMap<>(); // may still be found
    int stale = 0;
    int lookups = 0;
    long now = 0;
    long offset = 0;
    long lowWatermark = 0;
    int redecided = 0;
    int blockedPastTtl = 0;
    for (int step = 0; step < 60_000; step++) {
      now += random.nextInt(20);
      byte[] id = ids[random.nextInt(ids.length)];
      String hex = HexFormat.of().formatHex(id);
      DecisionCache.Decision held = model.get(hex);
      int op = random.nextInt(100);
      if (op < 45) {
        // A trace decided (again, when its earlier decision no longer covers its record); many
        // decisions share an expiry time, some held by the watermark and some not.
        if (held == null || !held.covers(now)) {
          if (held != null) {
            redecided++;
          }
          DecisionCache.Decision d =
              new DecisionCache.Decision(random.nextBoolean(), "p", now, now + TTL, "t", offset++);
          cache.remember(id, d);
          model.put(hex, d);
          forgettable.remove(hex);
        }
      } else if (op < 60) {
        if (held != null && held.covers(now)) {
          long late = offset++;
          cache.covered(id, held, late);
          model.put(
              hex,
              new DecisionCache.Decision(
                  held.sampled(),
                  held.policy(),
                  held.decidedAtMs(),
                  held.expiresAtMs(),
                  held.tenant(),
                  late));
        }
      } else if (op < 99) {
        // A tick: the watermark follows the input, but stalls for a while now and then (a long
        // trace in flight), holding decisions past their TTL.
        if (step / 4_000 % 2 == 0) {
          lowWatermark = Math.max(lowWatermark, offset - random.nextInt(200));
        }
        cache.expire(now, lowWatermark);
        long t = now;
        long lw = lowWatermark;
        for (DecisionCache.Decision d : model.values()) {
          if (d.expiresAtMs() <= t && d.lastOffset() >= lw) {
            blockedPastTtl++;
          }
        }
        model
            .entrySet()
            .removeIf(
                e -> {
                  boolean due = e.getValue().expiresAtMs() <= t && e.getValue().lastOffset() < lw;
                  if (due) {
                    forgettable.put(e.getKey(), e.getValue());
                  }
                  return due;
                });
      } else {
        cache.flush(); // as processing does before it returns
        cache = open(); // the task opened again: filter and index rebuilt from the store
      }
      if (random.nextInt(10) == 0) {
        cache.flush();
      }
      DecisionCache.Decision found = cache.lookup(id);
      lookups++;
      if (model.containsKey(hex)) {
        assertThat(found).as("step %d, trace %s", step, hex).isEqualTo(model.get(hex));
      } else if (found != null) {
        assertThat(found).as("step %d, trace %s", step, hex).isEqualTo(forgettable.get(hex));
        assertThat(found.covers(now)).as("a decision past its TTL covers nothing new").isFalse();
        stale++;
      }
    }
    for (byte[] id : ids) {
      String hex = HexFormat.of().formatHex(id);
      if (model.containsKey(hex)) {
        assertThat(cache.lookup(id)).isEqualTo(model.get(hex));
      }
    }
    assertThat(stale).as("decisions found after their TTL").isLessThan(lookups / 5);
    cache.expire(now + TTL + TTL / 4, Long.MAX_VALUE);
    for (byte[] id : ids) {
      assertThat(cache.lookup(id)).as("all forgotten").isNull();
    }
    assertThat(cache.slices()).isZero();
    try (var all = store.all()) {
      assertThat(all.hasNext()).as("the store emptied").isFalse();
    }
    assertThat(redecided).as("traces decided again").isGreaterThan(1_000);
    assertThat(blockedPastTtl).as("decisions held past their TTL by the watermark").isPositive();
    assertThat(opened).as("task openings").isGreaterThan(100);
    assertThat(model).as("decisions held at the end").isNotEmpty();
  }

  @Test
  void aSliceIsHeldByTheWatermarkAsAWholeAndATraceDecidedAgainOutlivesItsOldSlice() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    a[15] = 1;
    b[15] = 2;
    cache.remember(a, new DecisionCache.Decision(true, "p", 0, TTL, "t", 1));
    cache.remember(b, new DecisionCache.Decision(true, "p", 0, TTL, "t", 10));
    cache.flush();

    cache.expire(TTL + TTL / 4, 5); // past the slice, but b's record is above the watermark
    assertThat(cache.lookup(b)).isNotNull();
    DecisionCache.Decision again =
        new DecisionCache.Decision(false, "p", 2 * TTL, 3 * TTL, "t", 20);
    cache.remember(a, again); // a's trace starts again and is decided again
    assertThat(cache.lookup(a)).isEqualTo(again);

    cache.expire(2 * TTL, 15); // the first slice goes now
    assertThat(cache.lookup(b)).isNull();
    assertThat(cache.lookup(a)).isEqualTo(again);
    cache.flush();
    cache = open();
    assertThat(cache.lookup(a)).isEqualTo(again);
    assertThat(cache.lookup(b)).isNull();
  }

  @Test
  void aLaterDecisionInTheSameSliceOutlivesTheExtensionOfAnEarlierOneAcrossARestart() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    byte[] id = new byte[16];
    id[3] = 9;
    DecisionCache.Decision first = new DecisionCache.Decision(true, "p", 0, TTL, "t", 1);
    cache.remember(id, first);
    cache.flush();
    cache.covered(id, first, 2); // a 'C' record, read after every batch at a restart
    DecisionCache.Decision second = new DecisionCache.Decision(false, "q", 1, TTL + 1, "t", 3);
    cache.remember(id, second); // the same slice of expiry time
    cache.flush();
    assertThat(cache.lookup(id)).isEqualTo(second);
    cache = open();
    assertThat(cache.lookup(id)).isEqualTo(second);
  }

  @Test
  void aTtlChangedBetweenRunsFindsEveryDecisionAndForgetsThemOnTime() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    Random random = new Random(13);
    byte[][] ids = new byte[500][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = new byte[16];
      random.nextBytes(ids[i]);
      long decidedAt = i * 40L; // over two TTLs: many slices of either TTL
      cache.remember(
          ids[i], new DecisionCache.Decision(true, "p", decidedAt, decidedAt + TTL, "t", i));
    }
    cache.flush();
    DecisionCache.Decision extended = cache.lookup(ids[7]);
    cache.covered(ids[7], extended, 1_000);

    for (long ttl : new long[] {3 * TTL, TTL / 2}) {
      cache = open(ttl); // a restart with another decision_cache.ttl: other slices
      cache.flush(); // as the first record's processing does
      cache = open(ttl);
      assertThat(cache.lookup(ids[7]).lastOffset()).isEqualTo(1_000);
      for (int i = 0; i < ids.length; i++) {
        assertThat(cache.lookup(ids[i])).as("decision %d with ttl %d", i, ttl).isNotNull();
      }
    }
    long lastExpiry = (ids.length - 1) * 40L + TTL;
    cache.expire(lastExpiry - 1_000, Long.MAX_VALUE);
    assertThat(cache.lookup(ids[ids.length - 1])).as("not yet due").isNotNull();
    cache.expire(lastExpiry + TTL, Long.MAX_VALUE);
    for (byte[] id : ids) {
      assertThat(cache.lookup(id)).isNull();
    }
    assertThat(records()).as("every record forgotten").isZero();
  }

  @Test
  void decisionsMadeTogetherAreOneRecordAndALateRecordOneMore() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    byte[][] ids = new byte[3_000][];
    Random random = new Random(5);
    for (int i = 0; i < ids.length; i++) {
      ids[i] = new byte[16];
      random.nextBytes(ids[i]);
      cache.remember(ids[i], new DecisionCache.Decision(i % 2 == 0, "p", 0, TTL, "t", i));
    }
    cache.flush();
    assertThat(records()).as("3,000 decisions in batches of 2,048").isEqualTo(2);
    DecisionCache.Decision first = cache.lookup(ids[0]);
    cache.covered(ids[0], first, 5_000);
    assertThat(records()).isEqualTo(3);

    cache = open();
    assertThat(cache.lookup(ids[0]).lastOffset())
        .as("the late record's extension")
        .isEqualTo(5_000);
    for (int i = 1; i < ids.length; i++) {
      assertThat(cache.lookup(ids[i]))
          .isEqualTo(new DecisionCache.Decision(i % 2 == 0, "p", 0, TTL, "t", i));
    }
  }

  @Test
  void longNamesMakeSmallerBatchesThatStayFarBelowTheRecordSizeLimit() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    String policy = "p".repeat(300) + "é".repeat(100);
    String tenant = "t".repeat(250);
    Random random = new Random(9);
    for (int i = 0; i < 3_000; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      cache.remember(id, new DecisionCache.Decision(true, policy, 0, TTL, tenant, i));
    }
    cache.flush();
    int largest = 0;
    try (var all = store.all()) {
      while (all.hasNext()) {
        largest = Math.max(largest, all.next().value.length);
      }
    }
    assertThat(records()).isGreaterThan(2);
    // Sized by an upper bound of the encoding (3 bytes a char): a third to all of the limit.
    assertThat(largest).isBetween(DecisionCache.BATCH_BYTES / 3, DecisionCache.BATCH_BYTES);
  }

  @Test
  void readsAndForgetsTheSingleDecisionRecordsOfEarlierReleases() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    byte[] id = new byte[16];
    id[0] = 7;
    DecisionCache.Decision d = new DecisionCache.Decision(true, "errors", 0, TTL, null, 3);
    store.put(
        Bytes.wrap(java.nio.ByteBuffer.allocate(17).put((byte) 'T').put(id).array()),
        DecisionRecords.encode(d)); // as a release before batches wrote it
    cache = open();
    assertThat(cache.lookup(id)).isEqualTo(d);
    cache.expire(TTL + TTL / 4, 4);
    assertThat(cache.lookup(id)).isNull();
    assertThat(records()).isZero();
  }

  private int records() {
    int n = 0;
    try (var all = store.all()) {
      while (all.hasNext()) {
        all.next();
        n++;
      }
    }
    return n;
  }

  private DecisionCache open() {
    return open(TTL);
  }

  /** The task opened again with a TTL of {@code ttl} (its slices a quarter of it). */
  private DecisionCache open(long ttl) {
    if (cache != null) {
      cache.close();
      assertThat(filterHeap).as("a closed cache's filter heap").hasValue(0);
    }
    if (local != null) {
      local.close();
    }
    local =
        LocalTraceStore.openEmpty(
            dir.resolve("local-" + opened++),
            RocksDbMemory.shared(Map.of()),
            new InFlightHeap(1 << 20),
            () -> {},
            new AtomicLong());
    cache = new DecisionCache(store, local.decisionIndex(), ttl, filterHeap::addAndGet);
    return cache;
  }
}
