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
 * passed and the low watermark has passed the last record it covers, then forgotten; a trace
 * decided again keeps its new decision whatever its old one's expiry does; and a task opened again
 * over the same store (its filter and index rebuilt) answers the same. Random decisions, late
 * records, re-decisions and expiries, with the filter's slices coming and going.
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
        model.values().removeIf(d -> d.expiresAtMs() <= t && d.lastOffset() < lw);
      } else {
        cache = open(); // the task opened again: filter and index rebuilt from the store
      }
      DecisionCache.Decision found = cache.lookup(id);
      assertThat(found).as("step %d, trace %s", step, hex).isEqualTo(model.get(hex));
    }
    for (byte[] id : ids) {
      assertThat(cache.lookup(id)).isEqualTo(model.get(HexFormat.of().formatHex(id)));
    }
    assertThat(redecided).as("traces decided again").isGreaterThan(1_000);
    assertThat(blockedPastTtl).as("decisions held past their TTL by the watermark").isPositive();
    assertThat(opened).as("task openings").isGreaterThan(100);
    assertThat(model).as("decisions held at the end").isNotEmpty();
  }

  @Test
  void aDecisionForgottenBesideAHeldOneLeavesNothingBehindToForgetItsSuccessor() {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    cache = open();
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    a[15] = 1; // sorts before b within the same expiry time
    b[15] = 2;
    cache.remember(a, new DecisionCache.Decision(true, "p", 0, TTL, "t", 1));
    cache.remember(b, new DecisionCache.Decision(true, "p", 0, TTL, "t", 10));

    cache.expire(TTL, 5); // a goes, b is held by the watermark
    assertThat(cache.lookup(a)).isNull();
    assertThat(cache.lookup(b)).isNotNull();

    DecisionCache.Decision again = new DecisionCache.Decision(false, "p", TTL, 2 * TTL, "t", 20);
    cache.remember(a, again); // a's trace starts again and is decided again
    cache.expire(TTL + 1, 15); // b goes now
    assertThat(cache.lookup(b)).isNull();
    assertThat(cache.lookup(a)).isEqualTo(again);
  }

  private DecisionCache open() {
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
    cache = new DecisionCache(store, local.expiryIndex(), TTL, filterHeap::addAndGet);
    return cache;
  }
}
