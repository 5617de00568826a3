package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * (read_committed). A second run does the same while nearly every decision is taken early.
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
    Predicate<TraceLoad.Trace> keeps = t -> t.error() || Fnv.keeps("default-hash-seed", 10, t.id());
    Killed k = killUnderLoad(APP, POLICIES, KILLS, keeps, true);
    assertThat(k.sum("otelstream_streams_traces_spilled_total"))
        .as("traces were gathered in RocksDB (heap budget spent)")
        .isPositive();
    assertThat(k.sum("otelstream_streams_in_flight_heap_used_bytes"))
        .as("traces were gathered on the heap")
        .isPositive();
  }

  /**
   * The same kills while nearly every decision is taken early: num_traces is far below the traces
   * in flight, so the oldest trace is decided as a record arrives, not at a tick of record time. A
   * decision reaches the store while the record that took it is processed, in the transaction of
   * its output: a fragment that follows a kill finds it and follows it, and the trace is never
   * decided twice nor a kept span written twice. The kept spans of a trace decided after its first
   * fragment come in several records; the policy is the deterministic probabilistic one alone.
   */
  @Test
  void decisionsTakenEarlyOutliveKills() throws Exception {
    String policies =
        """
        decision_wait: 3s
        num_traces: 20
        policies:
          - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 30}}
        """;
    Killed k =
        killUnderLoad(
            APP + "-early", policies, 3, t -> Fnv.keeps("default-hash-seed", 30, t.id()), false);
    assertThat(k.sum("otelstream_streams_early_decisions_total{reason=\"too_many_traces\""))
        .as("decisions taken early")
        .isGreaterThan(k.sum("otelstream_streams_traces_decided_total") / 2);
    assertThat(k.sum("otelstream_streams_late_spans_total{outcome=\"kept\""))
        .as("fragments that followed a decision taken before them")
        .isPositive();
  }

  /** Metric values summed over the killed instances, read just before each kill. */
  private record Killed(Map<String, Double> sums) {
    double sum(String metric) {
      return sums.getOrDefault(metric, 0.0);
    }
  }

  private static final List<String> SUMMED =
      List.of(
          "otelstream_streams_traces_decided_total",
          "otelstream_streams_traces_spilled_total",
          "otelstream_streams_in_flight_heap_used_bytes",
          "otelstream_streams_early_decisions_total{reason=\"too_many_traces\"",
          "otelstream_streams_late_spans_total{outcome=\"kept\"");

  private Killed killUnderLoad(
      String app,
      String policies,
      int kills,
      Predicate<TraceLoad.Trace> keeps,
      boolean oneRecordPerTrace)
      throws Exception {
    StreamsKit.Child child = StreamsKit.child(kafka, app, dir, policies);
    int port = child.adminPort();
    TopicCatalog topics = child.topics();
    Path log = dir.resolve(app + ".log");
    Random random = new Random(SEED);
    Map<String, Double> sums = new HashMap<>();

    Set<TraceLoad.Trace> sent;
    try (ContinuousLoad load =
        new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 0)) {
      for (int kill = 1; kill <= kills; kill++) {
        Process instance = child.start(log);
        try {
          TraceLoad.await(
              () -> StreamsKit.metric(port, "otelstream_streams_traces_decided_total") > 0, 120);
          Thread.sleep(random.nextInt(3000)); // a random moment under load, transactions open
          double decided = StreamsKit.metric(port, "otelstream_streams_traces_decided_total");
          double inFlight = StreamsKit.metric(port, "otelstream_streams_traces_in_flight");
          for (String m : SUMMED) {
            sums.merge(m, StreamsKit.metric(port, m), Double::sum);
          }
          assertThat(decided).as("kill %d: this instance decided traces", kill).isPositive();
          assertThat(inFlight).as("kill %d: traces still in flight", kill).isPositive();
          // begun, not sent: a trace decided early is decided at its first fragment, before the
          // load counts it as sent; the ones still in flight are not decided yet
          assertThat(decided).as("kill %d: not everything decided", kill).isLessThan(load.begun());
        } finally {
          instance.destroyForcibly().waitFor(); // SIGKILL
        }
      }
      load.close(); // the batch in progress completes before the traces are listed
      sent = load.traces();
    }

    Process last = child.start(log);
    try {
      Set<String> all = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
      TraceLoad.awaitSlowly(() -> Outcome.decisions(kafka, app).keySet().containsAll(all), 180);
      Set<String> keptKeys =
          sent.stream().filter(keeps).map(TraceLoad.Trace::key).collect(Collectors.toSet());
      TraceLoad.awaitSlowly(() -> everySpanOut(topics, keptKeys), 60);
      assertThat(StreamsKit.metric(port, "otelstream_streams_rebuild_traces_total"))
          .as("the last start rebuilt in-flight traces from the input")
          .isPositive();
      Outcome.assertExactlyOnce(
          kafka, app, topics.name(Topic.TRACES_SAMPLED), sent, keeps, oneRecordPerTrace);
      System.out.printf(
          "crash soak %s: %d kills (seed %d), %d traces sent, %d kept, every one decided once%n",
          app, kills, SEED, sent.size(), keptKeys.size());
    } finally {
      last.destroy();
      last.waitFor();
    }
    return new Killed(sums);
  }

  /** Whether every span of every kept trace is in the output (perhaps more than once). */
  private static boolean everySpanOut(TopicCatalog topics, Set<String> keptKeys) {
    try {
      Map<String, List<Long>> kept =
          StreamsKit.keptSpans(kafka.readAll(topics.name(Topic.TRACES_SAMPLED)), new HashMap<>());
      return keptKeys.stream().allMatch(k -> kept.getOrDefault(k, List.of()).size() >= 3);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
