package io.otelstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.streams.it.Fnv;
import io.otelstream.streams.it.StreamsKit;
import io.otelstream.streams.it.TraceLoad;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sample replay against a real broker: a live streams app processes spread, multi-fragment traces
 * (some fragments late); replaying a window with the live policies keeps the live app's traces of
 * that window, another policy keeps exactly what its rule says, a preview reports what --into then
 * writes, and traces straddling either bound are left out as documented.
 */
class SampleReplayIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir static Path dir;

  private static final int TRACES = 900; // trace i starts at T0 + 5 ms * i, fragments 1.5 s apart
  private static final long T0 = Instant.now().minusSeconds(600).toEpochMilli() / 1000 * 1000;
  private static final Instant FROM = Instant.ofEpochMilli(T0 + 1000); // traces 200..
  private static final Instant TO = Instant.ofEpochMilli(T0 + 3000); // ..599
  private static final Set<Integer> WINDOW =
      IntStream.range(200, 600).boxed().collect(Collectors.toSet());

  private static final String LIVE =
      """
      decision_wait: 3s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
        - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 20, hash_salt: live}}
      """;
  private static final String HALF =
      """
      decision_wait: 3s
      policies: [{name: half, type: probabilistic, probabilistic: {sampling_percentage: 50, hash_salt: other}}]
      """;
  private static final String ALL =
      """
      decision_wait: 3s
      policies: [{name: all, type: always_sample}]
      """;

  private static List<TraceLoad.Trace> traces;
  private static StreamsAppConfig live;
  private static Map<String, Integer> index = new HashMap<>();
  private static Set<String> liveKept;
  private static org.apache.kafka.clients.admin.Admin admin;

  @org.junit.jupiter.api.AfterAll
  static void closeAdmin() {
    admin.close();
  }

  @BeforeAll
  static void liveRun() throws Exception {
    admin = kafka.admin();
    live = config("live", LIVE);
    TopicCatalog topics = StreamsKit.applyTopics(kafka, live);
    traces = TraceLoad.traces(TRACES, 0.05, 3, 11);
    for (int i = 0; i < traces.size(); i++) {
      index.put(traces.get(i).key(), i);
    }
    TraceLoad.produceSpread(kafka.bootstrapServers(), topics.name(Topic.TRACES), traces, T0, 6000);
    try (StreamsApp app = StreamsApp.start(live)) {
      TraceLoad.await(
          () ->
              StreamsKit.metric(app.adminPort(), "otelstream_streams_traces_decided_total")
                  == TRACES,
          120);
    } // closing commits the last transaction
    liveKept = spansByTrace(topics.name(Topic.TRACES_SAMPLED)).keySet();
    assertThat(liveKept).hasSizeBetween(100, 400);
  }

  private static StreamsAppConfig config(String name, String policies) {
    return StreamsKit.config(
        StreamsKit.yaml(
            kafka,
            "replay-live",
            dir.resolve("state-" + name),
            0,
            "{prefix: r., replication_factor: 1, min_insync_replicas: 1}",
            policies));
  }

  /** Trace key → spans written for it, over every record of a topic (read_committed). */
  private static Map<String, Integer> spansByTrace(String topic) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topic)) {
      int spans =
          ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList().stream()
              .flatMap(rs -> rs.getScopeSpansList().stream())
              .mapToInt(s -> s.getSpansCount())
              .sum();
      out.merge(new String(r.key(), StandardCharsets.UTF_8), spans, Integer::sum);
    }
    return out;
  }

  private SampleReplay.Result replay(String policies, String into) throws Exception {
    if (into != null) {
      SampleReplay.createLike(live, into);
    }
    return SampleReplay.run(
        new SampleReplay.Request(
            live,
            policies == null ? null : config("p", policies).tailSampling(),
            new ReplayTime(FROM, null),
            TO,
            into,
            Files.createTempDirectory(dir, "work"),
            null));
  }

  private static Set<String> inWindow(Set<String> keys) {
    return keys.stream()
        .filter(k -> WINDOW.contains(index.get(k)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void withTheLivePoliciesKeepsWhatTheLiveAppKeptInTheWindow() throws Exception {
    SampleReplay.Result r = replay(null, "r.same");
    Set<String> replayed = spansByTrace("r.same").keySet();
    assertThat(new TreeSet<>(replayed)).isEqualTo(inWindow(liveKept)).isNotEmpty();
    assertThat(r.replayed().seen().traces()).isEqualTo(WINDOW.size());
  }

  @Test
  void withAnotherPolicyKeepsExactlyWhatItsRuleKeeps() throws Exception {
    SampleReplay.Result preview = replay(HALF, null);
    SampleReplay.Result into = replay(HALF, "r.half");
    Map<String, Integer> written = spansByTrace("r.half");
    Set<String> expected =
        traces.stream()
            .filter(t -> WINDOW.contains(index.get(t.key())))
            .filter(t -> Fnv.keeps("other", 50, t.id()))
            .map(TraceLoad.Trace::key)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(new TreeSet<>(written.keySet())).isEqualTo(expected);
    // The preview reports what --into writes.
    assertThat(preview.replayed().kept().traces()).isEqualTo(written.size());
    assertThat(preview.replayed().kept().spans())
        .isEqualTo(written.values().stream().mapToLong(Integer::longValue).sum())
        .isEqualTo(into.replayed().kept().spans());
    // Side by side: the live policies' figures for the same window.
    assertThat(preview.live().kept().traces()).isEqualTo(inWindow(liveKept).size());
    assertThat(preview.live().seen().traces()).isEqualTo(WINDOW.size());
    assertThat(ReplayReport.json(preview)).contains("\"current\"", "\"by_policy\"", "\"half\"");
  }

  @Test
  void tracesThatStartedBeforeFromAreLeftOut() throws Exception {
    replay(ALL, "r.from");
    Set<Integer> written =
        spansByTrace("r.from").keySet().stream().map(index::get).collect(Collectors.toSet());
    // 150..199 started in the decision_wait before --from; their later fragments fall inside.
    assertThat(written).doesNotContainAnyElementsOf(IntStream.range(150, 200).boxed().toList());
    assertThat(written).contains(200, 201);
  }

  @Test
  void tracesThatStartedBeforeToAreWholeAndLaterOnesLeftOut() throws Exception {
    replay(ALL, "r.to");
    Map<String, Integer> written = spansByTrace("r.to");
    // Exactly the traces that started inside [from, to); 598 and 599 end 3 s after --to.
    assertThat(written.keySet().stream().map(index::get).collect(Collectors.toSet()))
        .isEqualTo(WINDOW);
    written.forEach(
        (key, spans) -> {
          if (index.get(key) % 10 != 0) { // every tenth has a late fragment 6 s after its start
            assertThat(spans).as("spans of trace %d", index.get(key)).isEqualTo(3);
          }
        });
  }

  @Test
  void refusesWhatCannotBeReplayedAndChangesNothing() throws Exception {
    Set<String> topicsBefore = admin.listTopics().names().get();
    Set<String> groupsBefore = groups();
    StreamsAppConfig other =
        StreamsKit.config(
            StreamsKit.yaml(
                kafka,
                "x",
                dir.resolve("x"),
                0,
                "{prefix: nosuch., replication_factor: 1, min_insync_replicas: 1}",
                LIVE));
    Path work = Files.createTempDirectory(dir, "bad");
    assertThatThrownBy(
            () ->
                SampleReplay.run(
                    new SampleReplay.Request(
                        other, null, new ReplayTime(FROM, null), null, null, work, null)))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("nosuch.otlp-traces does not exist");
    assertThatThrownBy(
            () ->
                SampleReplay.run(
                    new SampleReplay.Request(
                        live,
                        null,
                        new ReplayTime(Instant.now().plusSeconds(3600), null),
                        null,
                        null,
                        work,
                        null)))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("is in the future");
    assertThatThrownBy(
            () ->
                SampleReplay.run(
                    new SampleReplay.Request(
                        live,
                        config("bad", "policies: [{name: x, type: no_such_type}]").tailSampling(),
                        new ReplayTime(FROM, null),
                        null,
                        null,
                        work,
                        null)))
        .hasMessageContaining("no_such_type");
    assertThatThrownBy(
            () ->
                SampleReplay.run(
                    new SampleReplay.Request(
                        live, null, new ReplayTime(FROM, null), TO, "r.missing", work, null)))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("--create-topic");
    assertThat(admin.listTopics().names().get()).isEqualTo(topicsBefore);
    assertThat(groups()).isEqualTo(groupsBefore);
  }

  private static Set<String> groups() throws Exception {
    return admin.listConsumerGroups().all().get().stream()
        .map(g -> g.groupId())
        .collect(Collectors.toSet());
  }

  @Test
  void leavesNoConsumerGroupBehind() throws Exception {
    Set<String> before = groups();
    replay(ALL, null);
    assertThat(groups()).isEqualTo(before);
  }

  @Test
  void refusesATimeBeforeRetention() throws Exception {
    StreamsAppConfig cut = config("cut", LIVE);
    cut =
        StreamsKit.config(
            StreamsKit.yaml(
                kafka,
                "cut",
                dir.resolve("cut"),
                0,
                "{prefix: cut., replication_factor: 1, min_insync_replicas: 1}",
                LIVE));
    TopicCatalog topics = StreamsKit.applyTopics(kafka, cut);
    String input = topics.name(Topic.TRACES);
    TraceLoad.produceSpread(kafka.bootstrapServers(), input, traces.subList(0, 100), T0, 6000);
    var tp = new org.apache.kafka.common.TopicPartition(input, 0);
    long end =
        kafka
            .admin()
            .listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
            .all()
            .get()
            .get(tp)
            .offset();
    kafka
        .admin()
        .deleteRecords(
            Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(end / 2)))
        .all()
        .get();
    StreamsAppConfig c = cut;
    assertThatThrownBy(
            () ->
                SampleReplay.run(
                    new SampleReplay.Request(
                        c,
                        null,
                        new ReplayTime(Instant.ofEpochMilli(T0 - 60_000), null),
                        null,
                        null,
                        Files.createTempDirectory(dir, "cut"),
                        null)))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("before the retention of " + input + "-0");
  }
}
