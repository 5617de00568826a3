package io.otelstream.streams.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class TimeIndexTest {
  private static byte[] id(int n) {
    byte[] id = new byte[16];
    id[15] = (byte) n;
    return id;
  }

  private static List<Long> times(KeyValueIterator<Bytes, byte[]> it) {
    List<Long> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(TimeIndex.timeOf(kv.key)));
    }
    return out;
  }

  @Test
  void twoIndexesShareAStoreWithoutSeeingEachOther() {
    KeyValueStore<Bytes, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("timers"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(
        new org.apache.kafka.streams.processor.api.MockProcessorContext<>().getStateStoreContext(),
        store);
    TimeIndex deadlines = new TimeIndex(store, (byte) 0);
    TimeIndex expiries = new TimeIndex(store, TimeIndex.DECISION_EXPIRY);
    deadlines.put(300, id(1));
    deadlines.put(100, id(2));
    expiries.put(50, id(3));
    expiries.put(200, id(4));

    assertThat(times(deadlines.all())).containsExactly(100L, 300L);
    assertThat(times(deadlines.upTo(299))).containsExactly(100L);
    assertThat(times(expiries.all())).containsExactly(50L, 200L);
    try (var it = deadlines.all()) {
      assertThat(TimeIndex.traceIdOf(it.next().key)).isEqualTo(id(2));
    }
    deadlines.delete(100, id(2));
    assertThat(times(deadlines.all())).containsExactly(300L);
    assertThat(times(expiries.all())).containsExactly(50L, 200L);
  }
}
