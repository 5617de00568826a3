package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under continuous load, the streams JVM is killed with SIGKILL five times (or {@code
 * -Dotelstream.crash.kills}: the crash soak) at random moments while traces arrive, are decided and
 * written inside open transactions. In-flight traces are never in a changelog: each restart
 * rebuilds them from the input topic. Afterwards every trace is decided exactly once, the kept set
 * is exactly what the policies keep (the error traces and those DESIGN.md's FNV-1a rule samples,
 * computed here from the contract) and every kept span is in the output exactly once, in one record
 * (read_committed).
 */
class CrashIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String APP = "crash";
  private static final String POLICIES =
      """
      decision_wait: 3s
      num_traces: 100000
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
        - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 10}}
      """;
  private static final int KILLS = Integer.getInteger("otelstream.crash.kills", 5);
  private static final long SEED = Long.getLong("otelstream.crash.seed", 11);

  @Test
  void shouldDecideEveryTraceOnceAcrossRepeatedKillsUnderLoad() throws Exception {
    StreamsKit.Child app = StreamsKit.child(kafka, APP, dir, POLICIES);
    int port = app.adminPort();
    TopicCatalog topics = app.topics();
    Path log = dir.resolve("streams.log");
    Random random = new Random(SEED);

    Set<TraceLoad.Trace> sent;
    double spilled = 0;
    double heapHeld = 0;
    try (ContinuousLoad load =
        new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 0)) {
      for (int kill = 1; kill <= KILLS; kill++) {
        Process instance = app.start(log);
        try {
          TraceLoad.await(
              () -> StreamsKit.metric(port, "otelstream_streams_traces_decided_total") > 0, 120);
          Thread.sleep(random.nextInt(3000)); // a random moment under load, transactions open
          double decided = StreamsKit.metric(port, "otelstream_streams_traces_decided_total");
          double inFlight = StreamsKit.metric(port, "otelstream_streams_traces_in_flight");
          spilled += StreamsKit.metric(port, "otelstream_streams_traces_spilled_total");
          heapHeld += StreamsKit.metric(port, "otelstream_streams_in_flight_heap_used_bytes");
          assertThat(decided).as("kill %d: this instance decided traces", kill).isPositive();
          assertThat(inFlight).as("kill %d: traces still in flight", kill).isPositive();
          assertThat(decided).as("kill %d: not everything decided", kill).isLessThan(load.sent());
        } finally {
          instance.destroyForcibly().waitFor(); // SIGKILL
        }
      }
      assertThat(spilled).as("traces were gathered in RocksDB (heap budget spent)").isPositive();
      assertThat(heapHeld).as("traces were gathered on the heap").isPositive();
      load.close(); // the batch in progress completes before the traces are listed
      sent = load.traces();
    }

    Process last = app.start(log);
    try {
      Set<String> all = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
      TraceLoad.awaitSlowly(() -> Outcome.decisions(kafka, APP).keySet().containsAll(all), 180);
      Predicate<TraceLoad.Trace> keeps =
          t -> t.error() || Fnv.keeps("default-hash-seed", 10, t.id());
      long kept = sent.stream().filter(keeps).count();
      TraceLoad.awaitSlowly(
          () -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() >= kept, 60);
      assertThat(StreamsKit.metric(port, "otelstream_streams_rebuild_traces_total"))
          .as("the last start rebuilt in-flight traces from the input")
          .isPositive();
      Outcome.assertExactlyOnce(kafka, APP, topics.name(Topic.TRACES_SAMPLED), sent, keeps);
      System.out.printf(
          "crash soak: %d kills (seed %d), %d traces sent, %d kept, every one decided once%n",
          KILLS, SEED, sent.size(), sent.stream().filter(keeps).count());
    } finally {
      last.destroy();
      last.waitFor();
    }
  }
}
