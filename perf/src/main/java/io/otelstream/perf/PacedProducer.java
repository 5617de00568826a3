package io.otelstream.perf;

import io.otelstream.edge.EdgeConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A bound, not a benchmark of otelstream: the edge's Kafka work alone at a fixed rate. One thread
 * plays the event loop: every request period it sends a load-generator request's traces as one
 * record each (keyed by a random trace ID, the edge's producer settings), and each request's last
 * acknowledgement hops back to that thread, as the edge's answer does. Prints its own CPU and the
 * broker's per million spans over the measured seconds (perf/bench-edge-collector.sh,
 * BENCH_SERVERS=producer).
 */
public final class PacedProducer {
  private PacedProducer() {}

  /**
   * args: bootstrap topic spans-per-second warm-up-seconds measured-seconds broker-pid [producer
   * settings over the edge's, "key=value;key=value"]
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println(
          "usage: PacedProducer bootstrap topic spans-per-second warm-up-seconds measured-seconds"
              + " broker-pid [\"key=value;key=value\"]");
      System.exit(2);
    }
    String bootstrap = args[0];
    String topic = args[1];
    long spansPerSecond = Long.parseLong(args[2]);
    int warmSeconds = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    ProcessHandle broker = ProcessHandle.of(Long.parseLong(args[5])).orElseThrow();
    LoadOptions o = new LoadOptions();
    picocli.CommandLine.populateCommand(o).validated();
    RequestTemplates templates = new RequestTemplates(o);
    int spansPerRequest = o.spansPerRequest();
    int traceBytes = templates.encodedBytes() / o.tracesPerRequest;
    Map<String, Object> props = new HashMap<>(EdgeConfig.defaults().producerProperties());
    props.put("bootstrap.servers", bootstrap);
    props.put("client.id", "paced-producer");
    if (args.length > 6) {
      for (String setting : args[6].split(";")) {
        if (!setting.isBlank()) {
          String[] kv = setting.split("=", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException(
                "producer setting '" + setting + "' is not key=value");
          }
          props.put(kv[0].trim(), kv[1].trim());
        }
      }
    }
    ScheduledExecutorService loop =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "paced-loop"));
    AtomicLong answered = new AtomicLong(); // written by the loop thread only
    AtomicLong failed = new AtomicLong();
    // First send to the last acknowledgement of a request, in microseconds; the loop thread's.
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    SplittableRandom random = new SplittableRandom(1);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      Runnable request =
          () -> {
            long start = System.nanoTime();
            byte[] body = templates.next(random).bytes();
            AtomicInteger pending = new AtomicInteger(o.tracesPerRequest);
            for (int t = 0; t < o.tracesPerRequest; t++) {
              byte[] traceId = new byte[16];
              random.nextBytes(traceId);
              byte[] value = new byte[traceBytes];
              System.arraycopy(body, t * traceBytes, value, 0, traceBytes);
              producer.send(
                  new ProducerRecord<>(topic, traceId, value),
                  (m, e) -> {
                    if (e != null) {
                      failed.incrementAndGet();
                    } else if (pending.decrementAndGet() == 0) {
                      loop.execute(
                          () -> {
                            answered.incrementAndGet();
                            latency.recordValue((System.nanoTime() - start) / 1000);
                          });
                    }
                  });
            }
          };
      // The edge fetches its topics' metadata before it is ready; with max.block.ms=0 a send
      // before that fails at once.
      awaitMetadata(producer, topic);
      long periodNanos = 1_000_000_000L * spansPerRequest / spansPerSecond;
      var schedule = loop.scheduleAtFixedRate(request, 0, periodNanos, TimeUnit.NANOSECONDS);
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmSeconds));
      loop.submit(latency::reset).get();
      Snapshot before = Snapshot.take(broker, answered.get());
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      Snapshot after = Snapshot.take(broker, answered.get());
      printProducerMetrics(producer);
      schedule.cancel(false);
      producer.flush();
      loop.shutdown();
      loop.awaitTermination(10, TimeUnit.SECONDS);
      double spans = (after.answered - before.answered) * (double) spansPerRequest;
      System.out.printf(
          "paced producer at %d spans/s: %.0f spans/s acknowledged, %d records failed; CPU-s per"
              + " million spans: producer process %s, broker %s, together %s%n",
          spansPerSecond,
          spans / seconds,
          failed.get(),
          perMillion(after.process.minus(before.process), spans),
          perMillion(after.broker.minus(before.broker), spans),
          perMillion(
              after.process.minus(before.process).plus(after.broker.minus(before.broker)), spans));
      System.out.printf(
          "  first send -> last acknowledgement p50 p99 p999: %.2f %.2f %.2f ms%n",
          latency.getValueAtPercentile(50) / 1000.0,
          latency.getValueAtPercentile(99) / 1000.0,
          latency.getValueAtPercentile(99.9) / 1000.0);
      System.out.printf(
          "  by thread: producer's network thread %s, the loop %s, the rest (JIT, GC, JVM) %s%n",
          perMillion(after.sender.minus(before.sender), spans),
          perMillion(after.loop.minus(before.loop), spans),
          perMillion(
              after
                  .process
                  .minus(before.process)
                  .minus(after.sender.minus(before.sender))
                  .minus(after.loop.minus(before.loop)),
              spans));
    }
  }

  private static void awaitMetadata(KafkaProducer<byte[], byte[]> producer, String topic)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        producer.partitionsFor(topic); // with max.block.ms=0 only asks for it, until it is there
        return;
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** How the producer grouped the records (its own 30 s windows). */
  private static void printProducerMetrics(KafkaProducer<byte[], byte[]> producer) {
    StringBuilder line = new StringBuilder("  producer:");
    for (String name :
        List.of(
            "request-rate",
            "records-per-request-avg",
            "batch-size-avg",
            "request-latency-avg",
            "io-wait-ratio",
            "select-rate")) {
      producer.metrics().entrySet().stream()
          .filter(
              e -> e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(name))
          .findFirst()
          .ifPresent(
              e ->
                  line.append(
                      String.format(
                          " %s %.2f", name, ((Number) e.getValue().metricValue()).doubleValue())));
    }
    System.out.println(line);
  }

  private static String perMillion(Duration cpu, double spans) {
    return String.format("%.2f", cpu.toNanos() / 1e9 / spans * 1e6);
  }

  /** CPU used so far by this process, its two busy threads and the broker. */
  private record Snapshot(
      Duration process, Duration broker, Duration sender, Duration loop, long answered) {
    static Snapshot take(ProcessHandle broker, long answered) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long sender = 0;
      long loop = 0;
      for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        if (info.getThreadName().startsWith("kafka-producer-network-thread")) {
          sender += cpu;
        } else if (info.getThreadName().equals("paced-loop")) {
          loop += cpu;
        }
      }
      return new Snapshot(
          ProcessHandle.current().info().totalCpuDuration().orElseThrow(),
          broker.info().totalCpuDuration().orElseThrow(),
          Duration.ofNanos(sender),
          Duration.ofNanos(loop),
          answered);
    }
  }
}
