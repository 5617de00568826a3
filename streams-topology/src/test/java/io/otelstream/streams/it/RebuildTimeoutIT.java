package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild longer than the transaction timeout: partition 1 of otlp-traces holds hundreds of
 * thousands of traces in flight when the app is killed, partition 0 a few, and the producer's
 * transaction timeout is 3 s. After the restart, under continuous load, partition 0's task runs
 * (its transaction open) while partition 1's task rebuilds; a second instance joins meanwhile. The
 * app must not be fenced into a loop of rebuilds: no fenced producer, no migrated tasks, and the
 * rebuild of partition 1 ends within {@code max_rebuild}, what it could not read counted. Against
 * the code before max_rebuild the producer was fenced after a 10 s rebuild (TaskMigratedException).
 */
class RebuildTimeoutIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String APP = "rebuild-timeout";
  private static final int BACKLOG = 600_000;
  private static final String POLICIES =
      """
      decision_wait: 60s
      num_traces: 2000000
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  @Test
  void aRebuildLongerThanTheTransactionTimeoutNeitherFencesNorLoops() throws Exception {
    String more = "max_rebuild: 1s\n";
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    StreamsKit.Child first =
        StreamsKit.child(
            kafka,
            APP,
            dir.resolve("a"),
            POLICIES,
            more,
            "{prefix: rt., replication_factor: 1, min_insync_replicas: 1,"
                + " topics: {otlp-traces: {partitions: 2}}}",
            "  producer.transaction.timeout.ms: 3000\n");
    TopicCatalog topics = first.topics();
    String input = topics.name(Topic.TRACES);
    Path logA = dir.resolve("a.log");
    Process a = first.start(logA);
    try {
      TraceLoad.await(
          () -> StreamsKit.metric(first.adminPort(), "otelstream_streams_ready") == 1, 120);
      List<TraceLoad.Trace> backlog = TraceLoad.traces(BACKLOG, 0, 1, 21);
      try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(kafka.bootstrapServers())) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < backlog.size(); i++) {
          TraceLoad.Trace t = backlog.get(i);
          p.send(
              new ProducerRecord<>(
                  input, i % 1000 == 0 ? 0 : 1, now, t.key().getBytes(), TraceLoad.fragment(t, 0)));
        }
      }
      TraceLoad.await(
          () ->
              StreamsKit.metric(first.adminPort(), "otelstream_streams_traces_in_flight")
                  >= BACKLOG,
          300);
      Thread.sleep(3000); // several commits: the backlog's offsets and watermarks committed
    } finally {
      a.destroyForcibly().waitFor(); // SIGKILL
    }
    StreamsKit.Child second =
        StreamsKit.child(
            kafka,
            APP,
            dir.resolve("b"),
            POLICIES,
            more,
            "{prefix: rt., replication_factor: 1, min_insync_replicas: 1,"
                + " topics: {otlp-traces: {partitions: 2}}}",
            "  producer.transaction.timeout.ms: 3000\n");
    Path logB = dir.resolve("b.log");
    try (ContinuousLoad load = new ContinuousLoad(kafka.bootstrapServers(), input, 500)) {
      a = first.start(logA);
      TraceLoad.await(
          () ->
              StreamsKit.metric(first.adminPort(), "otelstream_streams_rebuild_records_total") > 0,
          120);
      Process b = second.start(logB); // joins while A rebuilds
      try {
        TraceLoad.await(
            () ->
                StreamsKit.metric(first.adminPort(), "otelstream_streams_ready") == 1
                    && StreamsKit.metric(second.adminPort(), "otelstream_streams_ready") == 1,
            180);
        double decided =
            StreamsKit.metric(first.adminPort(), "otelstream_streams_traces_decided_total")
                + StreamsKit.metric(second.adminPort(), "otelstream_streams_traces_decided_total");
        TraceLoad.await(
            () ->
                StreamsKit.metric(first.adminPort(), "otelstream_streams_traces_decided_total")
                        + StreamsKit.metric(
                            second.adminPort(), "otelstream_streams_traces_decided_total")
                    > decided + 500,
            120);
      } finally {
        b.destroy();
        b.waitFor();
      }
    } finally {
      a.destroy();
      a.waitFor();
      Files.copy(
          logA,
          Path.of("target", "RebuildTimeoutIT-a.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    String log = Files.readString(logA) + Files.readString(logB);
    assertThat(log)
        .as("partition 1's rebuild stopped at the bound")
        .contains("the rebuild stopped when this thread's max_rebuild was spent");
    assertThat(log)
        .as("no producer fenced by a transaction that outlived its timeout")
        .doesNotContain("ProducerFencedException")
        .doesNotContain("InvalidProducerEpochException")
        .doesNotContain("TaskMigratedException");
  }
}
