package io.otelstream.streams.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The heap filter in front of the decision store: never a "no" for a trace it was told of, rarely a
 * "yes" for one it was not (random or sequential trace IDs alike), and a slice of expiry time goes
 * only once the cache's floor has passed all of it.
 */
class DecisionFilterTest {
  private static final long TTL = 60_000;
  private final java.util.concurrent.atomic.AtomicLong heap =
      new java.util.concurrent.atomic.AtomicLong();

  @Test
  void neverDeniesAnAddedTraceAndRarelyAdmitsAnother() {
    DecisionFilter filter = new DecisionFilter(TTL, heap::addAndGet);
    Random random = new Random(7);
    byte[][] added = new byte[300_000][];
    for (int i = 0; i < added.length; i++) {
      added[i] = randomId(random);
      filter.add(i / 5_000 * 1_000L, added[i]); // a TTL of expiries: five slices, grown
    }
    for (byte[] id : added) {
      assertThat(filter.mightContain(id)).isTrue();
    }
    assertThat(falsePositives(filter, random, false)).as("random IDs").isLessThan(0.03);
    assertThat(falsePositives(filter, random, true)).as("sequential IDs").isLessThan(0.03);
    assertThat(filter.bytes()).as("bits per trace").isLessThan(added.length * 4L);
    assertThat(heap).as("the heap reported").hasValue(filter.bytes());
    filter.clear();
    assertThat(heap).as("the heap reported once the task closes").hasValue(0);
  }

  @Test
  void sequentialTraceIdsSpreadAsWellAsRandomOnes() {
    DecisionFilter filter = new DecisionFilter(TTL, heap::addAndGet);
    for (int i = 0; i < 100_000; i++) {
      filter.add(0, sequentialId(i));
    }
    for (int i = 0; i < 100_000; i++) {
      assertThat(filter.mightContain(sequentialId(i))).isTrue();
    }
    assertThat(falsePositives(filter, new Random(3), false)).isLessThan(0.02);
  }

  @Test
  void aForgottenSliceGoesWholeAndTheOthersSayWhereATraceMayBe() {
    DecisionFilter filter = new DecisionFilter(TTL, heap::addAndGet); // slices of 15 s
    byte[] early = sequentialId(1);
    byte[] late = sequentialId(2);
    byte[] both = sequentialId(3);
    filter.add(16_000, early); // slice [15 s, 30 s)
    filter.add(29_999, both);
    filter.add(30_000, late); // slice [30 s, 45 s)
    filter.add(44_999, both);
    assertThat(filter.slices()).isEqualTo(2);
    assertThat(filter.sliceOf(29_999)).isEqualTo(1);
    assertThat(filter.sliceEndMs(1)).isEqualTo(30_000);
    assertThat(filter.slicesMightContain(both)).as("newest first").containsExactly(2, 1);
    assertThat(filter.slicesMightContain(early)).containsExactly(1);
    assertThat(filter.slicesMightContain(sequentialId(4))).isEmpty();

    long twoSlices = heap.get();
    filter.forget(1);
    assertThat(filter.slices()).isEqualTo(1);
    assertThat(heap.get()).as("a dropped slice's heap is reported").isLessThan(twoSlices);
    assertThat(filter.mightContain(early)).isFalse();
    assertThat(filter.slicesMightContain(both)).containsExactly(2);

    filter.add(20_000, early); // a decision in a forgotten slice starts it again
    assertThat(filter.slicesMightContain(early)).containsExactly(1);
  }

  private static double falsePositives(DecisionFilter filter, Random random, boolean sequential) {
    int n = 100_000;
    int yes = 0;
    for (int i = 0; i < n; i++) {
      if (filter.mightContain(sequential ? sequentialId(10_000_000 + i) : randomId(random))) {
        yes++;
      }
    }
    return yes / (double) n;
  }

  private static byte[] randomId(Random random) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return id;
  }

  private static byte[] sequentialId(long i) {
    return ByteBuffer.allocate(16).putLong(0).putLong(i).array();
  }
}
