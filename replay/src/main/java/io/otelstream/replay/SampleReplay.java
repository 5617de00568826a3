package io.otelstream.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.streams.processing.Pipelines;
import io.otelstream.streams.sampling.PolicyFactory;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.streams.traces.InFlightHeap;
import io.otelstream.streams.traces.InputEnd;
import io.otelstream.streams.traces.SamplingMetrics;
import io.otelstream.streams.traces.SamplingSettings;
import io.otelstream.streams.traces.TailSamplingSupplier;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * {@code otelstream replay sample}: runs the streams app's tail-sampling processor (the same class,
 * with {@link ReplayStats} as its run hooks) over a window of otlp-traces, as a Kafka Streams app
 * of its own: a fresh application id whose group starts at the window's offsets, stores without
 * changelogs in a temporary directory, at-least-once output into the named topic, or none at all in
 * a preview. The group is deleted when the run ends.
 */
public final class SampleReplay {
  private static final String SOURCE = "replay-source";
  private static final String SAMPLER = "replay-sampling";
  private static final String CURRENT = "replay-current";
  private static final String SINK = "replay-sink";
  private static final Duration NO_PROGRESS = Duration.ofMinutes(5);

  /**
   * What to replay.
   *
   * @param live the streams app's configuration: connection, topics, the current policies
   * @param policies the policies to replay with (null: the live ones)
   * @param from where the window starts
   * @param to where it ends (null: at the partitions' current ends)
   * @param into the topic kept spans are written to; null for a preview, which writes nothing
   * @param workDir where the replay's RocksDB state lives while it runs (deleted after)
   * @param progress where progress lines go (null: none)
   */
  public record Request(
      StreamsAppConfig live,
      TailSamplingConfig policies,
      ReplayTime from,
      Instant to,
      String into,
      Path workDir,
      PrintStream progress) {
    boolean preview() {
      return into == null;
    }
  }

  /** What a replay read and decided: the replayed policies and, in a preview, the live ones. */
  public record Result(
      String topic,
      List<PartitionWindow> windows,
      ReplayStats replayed,
      ReplayStats live,
      long recordsRead,
      Duration elapsed) {}

  private SampleReplay() {}

  public static Result run(Request request) {
    StreamsAppConfig live = request.live();
    TailSamplingConfig policies =
        request.policies() != null ? request.policies() : live.tailSampling();
    PolicyFactory.engine(policies, "--policies tail_sampling"); // fail before touching anything
    TopicCatalog topics = new TopicCatalog(live.topics());
    String input = topics.name(Topic.TRACES);
    Map<String, Object> clientProps = new HashMap<>(live.streamsProperties());
    List<PartitionWindow> windows;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(clientProps)) {
      Duration wait =
          Duration.ofMillis(
              Math.max(
                  policies.decisionWait().toMillis(),
                  live.tailSampling().decisionWait().toMillis()));
      windows =
          new WindowResolver(consumer, Instant.now())
              .resolve(input, request.from(), request.to(), wait);
    }
    String appId = "otelstream-replay-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(adminProps(clientProps))) {
      if (!request.preview()) {
        requireTopic(admin, request.into());
      }
      Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      windows.forEach(
          w ->
              start.put(
                  new TopicPartition(input, w.partition()), new OffsetAndMetadata(w.readFrom())));
      admin.alterConsumerGroupOffsets(appId, start).all().get(30, TimeUnit.SECONDS);
      try {
        return runStreams(request, live, policies, topics, windows, appId);
      } finally {
        deleteGroup(admin, appId);
        deleteRecursively(request.workDir());
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("replay: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
  }

  private static Result runStreams(
      Request request,
      StreamsAppConfig live,
      TailSamplingConfig policies,
      TopicCatalog topics,
      List<PartitionWindow> windows,
      String appId)
      throws InterruptedException {
    String input = topics.name(Topic.TRACES);
    int maxRecordBytes = live.maxRecordBytes().toIntExact();
    // One heap budget for both samplers, as the live app's tasks share one.
    InFlightHeap heap = live.inFlightHeapBudget();
    ReplayStats replayed = new ReplayStats(windows, request.preview() ? null : SINK, "");
    ReplayStats current =
        request.preview() && request.policies() != null
            ? new ReplayStats(windows, null, "-current")
            : null;
    Topology t = new Topology();
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    t.addSource(SOURCE, in, in, input);
    // The live traces pipeline's processors run in both: a replay sees the spans the app saw.
    Pipelines processing = live.processing();
    addSampler(t, SAMPLER, input, policies, maxRecordBytes, heap, replayed, processing);
    if (!request.preview()) {
      ByteArraySerializer out = new ByteArraySerializer();
      t.addSink(SINK, request.into(), out, out, SAMPLER);
    }
    if (current != null) {
      addSampler(t, CURRENT, input, live.tailSampling(), maxRecordBytes, heap, current, processing);
    }
    Properties props = new Properties();
    props.putAll(live.streamsProperties());
    props.put("application.id", appId);
    props.put("processing.guarantee", "at_least_once");
    props.put("state.dir", request.workDir().toString());
    props.put("auto.offset.reset", "none"); // every partition's start was committed above
    long started = System.nanoTime();
    long total = windows.stream().mapToLong(PartitionWindow::records).sum();
    try (KafkaStreams streams = new KafkaStreams(t, props)) {
      streams.start();
      awaitFinished(streams, replayed, current, total, request.progress());
      // Leaving the group at once lets it be deleted right after.
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(60)));
    }
    return new Result(
        input,
        windows,
        replayed,
        current,
        replayed.recordsRead(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static void addSampler(
      Topology t,
      String name,
      String input,
      TailSamplingConfig policies,
      int maxRecordBytes,
      InFlightHeap heap,
      ReplayStats run,
      Pipelines processing) {
    SamplingSettings settings = SamplingSettings.from(policies, maxRecordBytes, heap);
    SamplingMetrics metrics = new SamplingMetrics(new SimpleMeterRegistry());
    t.addProcessor(
        name,
        new TailSamplingSupplier(
            input,
            settings,
            () -> PolicyFactory.engine(policies, "tail_sampling"),
            metrics,
            InputEnd.UNKNOWN,
            run,
            io.otelstream.streams.spanmetrics.TraceMetricsConfig.disabled(),
            processing),
        SOURCE);
  }

  private static void awaitFinished(
      KafkaStreams streams, ReplayStats a, ReplayStats b, long total, PrintStream progress)
      throws InterruptedException {
    Progress p = new Progress(total, progress);
    long lastRead = -1;
    long lastMove = System.nanoTime();
    while (a.unfinished().getCount() > 0 || (b != null && b.unfinished().getCount() > 0)) {
      KafkaStreams.State s = streams.state();
      if (s == KafkaStreams.State.ERROR
          || s == KafkaStreams.State.NOT_RUNNING
          || s == KafkaStreams.State.PENDING_ERROR) {
        throw new IllegalStateException(
            "replay: the sampling run stopped (" + s + "); see the log above");
      }
      a.unfinished().await(1, TimeUnit.SECONDS);
      long read = a.recordsRead();
      p.show(read);
      if (read != lastRead) {
        lastRead = read;
        lastMove = System.nanoTime();
      } else if (System.nanoTime() - lastMove > NO_PROGRESS.toNanos()) {
        throw new IllegalStateException(
            "replay: no record read for " + NO_PROGRESS.toMinutes() + " minutes");
      }
    }
    p.done(a.recordsRead());
  }

  /** Deletes the replay's consumer group, waiting for its last member's leave to land. */
  private static void deleteGroup(Admin admin, String group)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static void requireTopic(Admin admin, String topic)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
      throw new ReplayException(
          "--into topic "
              + topic
              + " does not exist; add --create-topic to create it like otlp-traces-sampled");
    }
  }

  /** Creates {@code topic} with the partitions and configs of otlp-traces-sampled. */
  public static void createLike(StreamsAppConfig live, String topic) {
    TopicSpec spec = new TopicCatalog(live.topics()).spec(Topic.TRACES_SAMPLED);
    try (Admin admin = Admin.create(adminProps(new HashMap<>(live.streamsProperties())))) {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return;
      }
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, spec.partitions(), spec.replicationFactor())
                      .configs(spec.configs())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> props) {
    Map<String, Object> c = new HashMap<>(adminProps(props));
    c.put("isolation.level", "read_committed");
    c.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Connection properties only (bootstrap, security), from the streams app's properties. */
  static Map<String, Object> adminProps(Map<String, Object> streamsProps) {
    Map<String, Object> out = new HashMap<>();
    streamsProps.forEach(
        (k, v) -> {
          if (k.equals("bootstrap.servers")
              || k.startsWith("security.")
              || k.startsWith("ssl.")
              || k.startsWith("sasl.")) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
