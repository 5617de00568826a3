package io.otelstream.perf;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The baseline for the sampling topology: the same topic copied to another by Kafka Streams with
 * the same guarantees (exactly_once_v2, one stream thread). Catch-up ends when the app's committed
 * offsets reach the input's end. Usage: PassThroughBenchmark BOOTSTRAP IN OUT SPANS_PER_RECORD
 * STATE_DIR
 */
public final class PassThroughBenchmark {
  private PassThroughBenchmark() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String in = args[1];
    String out = args[2];
    int spansPerRecord = Integer.parseInt(args[3]);
    StreamsBuilder b = new StreamsBuilder();
    b.stream(in).to(out);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "passthrough-" + System.currentTimeMillis());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put("consumer.auto.offset.reset", "earliest");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        KafkaStreams streams = new KafkaStreams(b.build(), p)) {
      List<TopicPartition> parts =
          admin.describeTopics(List.of(in)).allTopicNames().get().get(in).partitions().stream()
              .map(i -> new TopicPartition(in, i.partition()))
              .toList();
      Map<TopicPartition, Long> end =
          admin
              .listOffsets(
                  parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
              .all()
              .get()
              .entrySet()
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      long records = end.values().stream().mapToLong(Long::longValue).sum();
      if (!admin.listTopics().names().get().contains(out)) {
        admin
            .createTopics(
                List.of(new org.apache.kafka.clients.admin.NewTopic(out, parts.size(), (short) 1)))
            .all()
            .get();
      }
      long start = System.nanoTime();
      streams.start();
      String group = p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done =
            parts.stream()
                .allMatch(
                    tp -> committed.get(tp) != null && committed.get(tp).offset() >= end.get(tp));
        if (done) {
          break;
        }
        Thread.sleep(100);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "pass-through: %d records, %.0f records/s, %.0f spans/s in %.1fs (including startup)%n",
          records, records / secs, records * (double) spansPerRecord / secs, secs);
      streams.close(Duration.ofSeconds(30));
    }
  }
}
