package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app is down longer than retention keeps its input: records written after its committed
 * offsets are deleted before it returns. Kafka Streams resets to the log start and says nothing;
 * the app counts exactly the deleted records past its committed offsets, by topic and partition
 * (the in-flight records before them are the rebuild's loss, counted apart). A partition's loss is
 * found when its next record is read, so every partition gets new records after the restart.
 */
class RetentionLossIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String APP = "retention-loss";
  private static final String POLICIES =
      """
      decision_wait: 30s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  @Test
  void recordsDeletedWhileTheAppIsDownAreCounted() throws Exception {
    StreamsKit.Child app = StreamsKit.child(kafka, APP, dir, POLICIES);
    int port = app.adminPort();
    TopicCatalog topics = app.topics();
    String input = topics.name(Topic.TRACES);
    Process first = app.start(dir.resolve("first.log"));
    try {
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == 0, 120);
      TraceLoad.produce(
          kafka.bootstrapServers(),
          input,
          TraceLoad.traces(50, 0.2, 3, 1),
          System.currentTimeMillis());
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == 50, 60);
    } finally {
      first.destroy(); // a clean stop commits what was processed
      first.waitFor();
    }
    List<TraceLoad.Trace> expired = TraceLoad.traces(100, 0.2, 3, 2);
    TraceLoad.produce(kafka.bootstrapServers(), input, expired, System.currentTimeMillis());
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      int partitions =
          admin.describeTopics(List.of(input)).allTopicNames().get().get(input).partitions().size();
      for (int p = 0; p < partitions; p++) {
        ends.put(new TopicPartition(input, p), OffsetSpec.latest());
      }
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      admin
          .listOffsets(ends)
          .all()
          .get()
          .forEach((tp, end) -> delete.put(tp, RecordsToDelete.beforeOffset(end.offset())));
      admin.deleteRecords(delete).all().get(); // what retention does to a backlog too old
    }
    TraceLoad.produce(
        kafka.bootstrapServers(),
        input,
        TraceLoad.traces(200, 0.2, 3, 3),
        System.currentTimeMillis());
    Process second = app.start(dir.resolve("second.log"));
    try {
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == 200, 120);
      assertThat(StreamsKit.metric(port, "otelstream_streams_records_lost_to_retention_total"))
          .as("every record of the expired backlog, and nothing else")
          .isEqualTo(expired.size() * 3);
      assertThat(
              StreamsKit.metric(
                  port,
                  "otelstream_streams_records_lost_to_retention_total{partition=\"0\",topic=\""
                      + input
                      + "\""))
          .as("counted by topic and partition")
          .isPositive();
      assertThat(StreamsKit.metric(port, "otelstream_streams_rebuild_lost_offsets_total"))
          .as("the in-flight traces before the committed offsets: the rebuild's loss")
          .isEqualTo(150);
    } finally {
      second.destroy();
      second.waitFor();
    }
  }
}
