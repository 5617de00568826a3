package io.otelstream.perf;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The limit the edge is measured against: the same request bytes written straight to the same topic
 * by a producer with the edge's settings (acks=all, idempotent, snappy), one record per trace.
 */
public final class RawProducerBenchmark {
  private RawProducerBenchmark() {}

  /** args: bootstrap topic seconds */
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int seconds = Integer.parseInt(args[2]);
    LoadOptions o = new LoadOptions();
    picocli.CommandLine.populateCommand(o).validated();
    RequestTemplates templates = new RequestTemplates(o);
    int traceBytes = templates.encodedBytes() / o.tracesPerRequest;
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "all",
            "enable.idempotence",
            "true",
            "compression.type",
            "snappy",
            "linger.ms",
            "5",
            "batch.size",
            Integer.toString(256 * 1024),
            "buffer.memory",
            Long.toString(64L << 20));
    SplittableRandom random = new SplittableRandom(1);
    AtomicLong acked = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        byte[] body = templates.next(random).bytes();
        for (int t = 0; t < o.tracesPerRequest; t++) {
          byte[] key = new byte[32];
          random.nextBytes(key);
          byte[] value = new byte[traceBytes];
          System.arraycopy(body, t * traceBytes, value, 0, traceBytes);
          producer.send(
              new ProducerRecord<>(topic, key, value),
              (m, e) -> {
                if (e == null) {
                  acked.incrementAndGet();
                }
              });
        }
      }
      producer.flush();
      double secs = (System.nanoTime() - start) / 1e9;
      double spans = acked.get() * (double) o.spansPerTrace / secs;
      System.out.printf(
          "raw producer: %.0f spans/s, %.1f MB/s (%d records of %d bytes in %.1fs)%n",
          spans, acked.get() * (double) traceBytes / secs / 1e6, acked.get(), traceBytes, secs);
    }
  }
}
