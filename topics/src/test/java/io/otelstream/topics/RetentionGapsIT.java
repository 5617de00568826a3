package io.otelstream.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Offsets retention deleted before a consumer read them, against a real broker's log start. */
class RetentionGapsIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  private TopicPartition topicWith100Records(String name) throws Exception {
    kafka.admin().createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < 100; i++) {
        p.send(new ProducerRecord<>(name, new byte[] {(byte) i}));
      }
    }
    return new TopicPartition(name, 0);
  }

  private void deleteBefore(TopicPartition tp, long offset) throws Exception {
    kafka.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offset))).all().get();
  }

  private RetentionGaps gaps(String group) {
    return new RetentionGaps(
        Map.of("bootstrap.servers", kafka.bootstrapServers()), group, "retention-gaps-test");
  }

  @Test
  void aJumpPastTheLogStartIsCountedAndOneSkippedOffsetIsNot() throws Exception {
    TopicPartition tp = topicWith100Records("gaps-running");
    try (RetentionGaps gaps = gaps("nobody")) {
      assertThat(gaps.read(tp, 0)).as("no committed offset: nothing to compare").isZero();
      assertThat(gaps.read(tp, 1)).isZero();
      assertThat(gaps.read(tp, 3)).as("one offset skipped: a transaction marker").isZero();
      assertThat(gaps.read(tp, 20)).as("a gap retention did not cause").isZero();
      deleteBefore(tp, 50);
      assertThat(gaps.read(tp, 60)).as("offsets 21..49 deleted unread").isEqualTo(29);
      assertThat(gaps.read(tp, 61)).isZero();
    }
  }

  @Test
  void aPartitionsFirstRecordIsComparedWithTheGroupsCommittedOffset() throws Exception {
    TopicPartition tp = topicWith100Records("gaps-restart");
    kafka
        .admin()
        .alterConsumerGroupOffsets("sink-group", Map.of(tp, new OffsetAndMetadata(10)))
        .all()
        .get();
    try (RetentionGaps gaps = gaps("sink-group")) {
      assertThat(gaps.read(tp, 10)).as("resumed where it committed").isZero();
      gaps.forget(tp);
      deleteBefore(tp, 40);
      assertThat(gaps.read(tp, 40))
          .as("reset to the log start after a restart: 10..39 deleted unread")
          .isEqualTo(30);
    }
  }
}
