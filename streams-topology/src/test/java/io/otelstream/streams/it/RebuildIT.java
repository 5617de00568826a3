package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 traces in flight, then SIGKILL: the next start rebuilds them all from the input topic
 * before it reports ready, and input that retention already deleted is reported and counted.
 */
class RebuildIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final int TRACES = 100_000;
  private static final String POLICIES =
      """
      decision_wait: 1h
      num_traces: 200000
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  @Test
  void shouldRebuildEveryInFlightTraceBeforeReadyAndReportDeletedInput() throws Exception {
    StreamsKit.Child app = StreamsKit.child(kafka, "rebuild", dir, POLICIES);
    int port = app.adminPort();
    TopicCatalog topics = app.topics();
    TraceLoad.produce(
        kafka.bootstrapServers(),
        topics.name(Topic.TRACES),
        TraceLoad.traces(TRACES, 0.01, 1, 3),
        System.currentTimeMillis());

    Process first = app.start(dir.resolve("first.log"));
    try {
      TraceLoad.await(
          () -> StreamsKit.metric(port, "otelstream_streams_traces_in_flight") == TRACES, 180);
      Thread.sleep(1000); // several commits: the watermark and the offsets are committed
    } finally {
      first.destroyForcibly().waitFor(); // SIGKILL
    }

    // Retention deletes the start of partition 0 while the app is down.
    TopicPartition p0 = new TopicPartition(topics.name(Topic.TRACES), 0);
    long deleted;
    try (Admin admin = kafka.admin()) {
      long end =
          admin
              .listOffsets(Map.of(p0, org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(p0)
              .offset();
      deleted = end / 2;
      admin
          .deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(deleted)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    assertThat(deleted).isPositive();

    Path secondLog = dir.resolve("second.log");
    long restarted = System.nanoTime();
    Process second = app.start(secondLog);
    try {
      TraceLoad.await(() -> ready(port), 180);
      long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
      double inFlight = StreamsKit.metric(port, "otelstream_streams_traces_in_flight");
      double rebuildSeconds =
          StreamsKit.metric(port, "otelstream_streams_rebuild_duration_seconds_sum");
      System.out.printf(
          "RebuildIT: %d traces in flight rebuilt in %.2f s of task time; ready %d ms after the"
              + " JVM started%n",
          (long) inFlight, rebuildSeconds, readyMs);
      assertThat(inFlight)
          .as("every trace still in the input is in flight when the app first reports ready")
          .isEqualTo(TRACES - deleted);
      assertThat(StreamsKit.metric(port, "otelstream_streams_rebuild_lost_offsets_total"))
          .as("deleted input offsets are counted")
          .isEqualTo(deleted);
      assertThat(Files.readString(secondLog))
          .contains("already deleted by retention", p0.toString());
    } finally {
      second.destroy();
      second.waitFor();
    }
  }

  private static boolean ready(int port) {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }
}
