package io.otelstream.streams.it;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Steady trace load for fault tests: batches of 50 traces of 3 one-span fragments, the fragments
 * 100 ms apart, record time = now, 20% of traces with an error span (the kept ones). A trace counts
 * as begun when its first fragment is handed to the producer, and as sent once all its fragments
 * are acknowledged.
 */
final class ContinuousLoad implements AutoCloseable {
  private final Set<TraceLoad.Trace> sent = ConcurrentHashMap.newKeySet();
  private final AtomicInteger begun = new AtomicInteger();
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private final Thread thread;

  ContinuousLoad(String bootstrap, String topic, long seedBase) {
    thread =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(bootstrap)) {
                long seed = seedBase;
                while (loading.get()) {
                  List<TraceLoad.Trace> batch = TraceLoad.traces(50, 0.2, 3, seed++);
                  begun.addAndGet(batch.size());
                  for (int f = 0; f < 3; f++) {
                    for (TraceLoad.Trace t : batch) {
                      p.send(
                          new ProducerRecord<>(
                              topic,
                              null,
                              System.currentTimeMillis(),
                              t.key().getBytes(),
                              TraceLoad.fragment(t, f)));
                    }
                    p.flush();
                    Thread.sleep(100);
                  }
                  sent.addAll(batch);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "continuous-load");
    thread.start();
  }

  int sent() {
    return sent.size();
  }

  /** Traces whose first fragment may have reached the topic: an upper bound of those decided. */
  int begun() {
    return begun.get();
  }

  Set<TraceLoad.Trace> traces() {
    return Set.copyOf(sent);
  }

  @Override
  public void close() throws InterruptedException {
    loading.set(false);
    thread.join();
  }
}
