package io.otelstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idle test the wall-clock release relies on, against a real broker: a partition is caught up
 * only when the broker, asked after the given moment, has nothing past the offset processed.
 */
class BrokerEndOffsetsTest {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void caughtUpOnlyWhenTheBrokerHasNothingMoreAfterTheGivenMoment() throws Exception {
    kafka.admin().createTopics(List.of(new NewTopic("ends", 1, (short) 1))).all().get();
    TopicPartition p = new TopicPartition("ends", 0);
    try (BrokerEndOffsets ends =
            new BrokerEndOffsets(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "application.id", "x"),
                "ends-test");
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>("ends", 0, null, new byte[1])).get();
      }
      long since = System.currentTimeMillis();
      assertThat(ends.caughtUp(p, 3, since)).as("no answer asked yet").isFalse();
      await(() -> ends.caughtUp(p, 3, since));
      assertThat(ends.caughtUp(p, 2, since)).as("one record not processed").isFalse();

      producer.send(new ProducerRecord<>("ends", 0, null, new byte[1])).get();
      long later = System.currentTimeMillis();
      assertThat(ends.caughtUp(p, 3, later + 60_000)).as("answer older than asked for").isFalse();
      await(() -> !ends.caughtUp(p, 3, later) && ends.caughtUp(p, 4, later));
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(Duration.ofMillis(50).toMillis());
    }
  }
}
