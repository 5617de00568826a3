package io.otelstream.streams.app;

import io.otelstream.config.ByteSize;
import io.otelstream.config.GuardedProperties;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.streams.traces.BoundedRocksDbConfig;
import io.otelstream.streams.traces.RocksDbMemory;
import io.otelstream.topics.TopicsConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams app's configuration (see the module README for every key).
 *
 * @param applicationId Kafka Streams application id, also the consumer group (default otelstream)
 * @param kafka Kafka Streams / client properties passed through unchanged, over the defaults
 * @param stateDir where RocksDB state lives (default: otelstream-state in the working directory;
 *     not the OS temp directory, which the OS may clear under a running app)
 * @param standbyReplicas warm copies of each task's state on other instances (default 0)
 * @param numStreamThreads processing threads per instance (default 1)
 * @param admin health and metrics listener (default 0.0.0.0:13134)
 * @param maxRecordBytes largest output record value (default 1MiB minus framing)
 * @param topics topic names, as the topics tool's file
 * @param tailSampling the Collector-compatible tail_sampling section
 * @param metrics metric-name filters and attribute actions (default: pass through)
 * @param logs log filters (default: pass through)
 * @param rocksdbMemory off-heap memory of all RocksDB stores of the instance together: block cache,
 *     index and filter blocks, and memtables (which may take half); default 256MiB
 * @param inFlightHeap heap all tasks of the instance may spend on in-flight traces; traces beyond
 *     it are gathered in the tasks' local RocksDB (default: a quarter of the JVM's maximum heap)
 * @param spanMetrics R.E.D. metrics from every span, the Collector {@code spanmetrics} connector's
 *     configuration shape (default off)
 * @param serviceGraph request, failure and latency metrics per pair of calling and called services,
 *     the Collector {@code servicegraph} connector's configuration shape (default off)
 * @param processors the Collector's processor configurations, as its {@code processors} section
 *     writes them ({@code attributes}, {@code resource}, {@code filter}; named {@code type/name})
 * @param pipelines which processors run for each signal, in order: the Collector's {@code
 *     service.pipelines} shape; spans are processed before tail sampling
 * @param maxClockSkew how far a span record's time may be ahead of this instance's clock, or behind
 *     its partition's latest record time, before it is bounded (and counted): one edge host with a
 *     wrong clock cannot then decide other hosts' traces early (default 2s; 0 turns it off)
 * @param maxRebuild the stream thread's budget for rebuilding in-flight traces (default 5m)
 * @param signals the signals this app processes (default all three): an app per signal scales on
 *     its own topic's lag, with its own application id, consumer group and state
 * @param allowUnsafeKafkaOverrides lets {@code kafka} change {@code processing.guarantee}, which
 *     tail sampling's no-loss, no-duplicate guarantee rests on (default false: such an override
 *     fails at startup)
 */
public record StreamsAppConfig(
    String applicationId,
    Map<String, String> kafka,
    String stateDir,
    Integer standbyReplicas,
    Integer numStreamThreads,
    Admin admin,
    ByteSize maxRecordBytes,
    TopicsConfig topics,
    TailSamplingConfig tailSampling,
    io.otelstream.streams.signals.MetricsConfig metrics,
    io.otelstream.streams.signals.LogsConfig logs,
    ByteSize rocksdbMemory,
    ByteSize inFlightHeap,
    io.otelstream.streams.spanmetrics.SpanMetricsConfig spanMetrics,
    io.otelstream.streams.spanmetrics.ServiceGraphConfig serviceGraph,
    Boolean allowUnsafeKafkaOverrides,
    Map<String, com.fasterxml.jackson.databind.JsonNode> processors,
    io.otelstream.streams.processing.PipelinesConfig pipelines,
    java.time.Duration maxClockSkew,
    java.time.Duration maxRebuild,
    java.util.List<Signal> signals) {

  /** Every signal: one app processes all three unless {@code signals} names some. */
  public static final List<Signal> ALL_SIGNALS = List.of(Signal.values());

  /** Whether this app processes {@code signal}. */
  public boolean processes(Signal signal) {
    return signals.contains(signal);
  }

  /** The broker's default transaction.max.timeout.ms: no transaction timeout may exceed it. */
  static final java.time.Duration MAX_TRANSACTION_TIMEOUT = java.time.Duration.ofMinutes(15);

  /** What a transaction timeout and the poll interval keep beyond max_rebuild. */
  static final java.time.Duration REBUILD_MARGIN = java.time.Duration.ofSeconds(30);

  /** The Streams property that hands max_rebuild to the tail-sampling tasks. */
  public static final String MAX_REBUILD_MS =
      io.otelstream.streams.traces.InputRebuilder.MAX_REBUILD_CONFIG;

  /** The Streams properties the app's guarantees rest on. */
  static final Map<String, GuardedProperties.Guard> GUARDED =
      Map.of(
          "processing.guarantee",
          new GuardedProperties.Guard(
              "exactly_once_v2",
              "tail sampling decides each trace once and writes its spans once only under"
                  + " exactly-once transactions"));

  public StreamsAppConfig {
    applicationId = applicationId != null ? applicationId : "otelstream";
    kafka = kafka != null ? Map.copyOf(kafka) : Map.of();
    stateDir =
        stateDir != null ? stateDir : Path.of("otelstream-state").toAbsolutePath().toString();
    standbyReplicas = standbyReplicas != null ? standbyReplicas : 0;
    numStreamThreads = numStreamThreads != null ? numStreamThreads : 1;
    admin = admin != null ? admin.withDefaults() : new Admin(null, null).withDefaults();
    maxRecordBytes = maxRecordBytes != null ? maxRecordBytes : new ByteSize((1 << 20) - 512);
    topics = topics != null ? topics : TopicsConfig.defaults();
    metrics = metrics != null ? metrics : io.otelstream.streams.signals.MetricsConfig.defaults();
    logs = logs != null ? logs : io.otelstream.streams.signals.LogsConfig.passThrough();
    rocksdbMemory =
        rocksdbMemory != null ? rocksdbMemory : new ByteSize(RocksDbMemory.DEFAULT_BYTES);
    if (rocksdbMemory.bytes() < (16L << 20)) {
      throw new IllegalArgumentException("rocksdb_memory must be at least 16MiB");
    }
    if (inFlightHeap != null && inFlightHeap.bytes() >= Runtime.getRuntime().maxMemory()) {
      throw new IllegalArgumentException(
          "in_flight_heap ("
              + inFlightHeap
              + ") must be smaller than the JVM's maximum heap ("
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB); set it lower or raise -Xmx");
    }
    spanMetrics =
        spanMetrics != null
            ? spanMetrics
            : io.otelstream.streams.spanmetrics.SpanMetricsConfig.disabled();
    serviceGraph =
        serviceGraph != null
            ? serviceGraph
            : io.otelstream.streams.spanmetrics.ServiceGraphConfig.disabled();
    for (var section :
        Map.of("span_metrics", spanMetrics.enabled(), "service_graph", serviceGraph.enabled())
            .entrySet()) {
      if (section.getValue() && !metrics.aggregation().enabled()) {
        throw new IllegalArgumentException(
            section.getKey()
                + ".enabled needs metrics.aggregation.enabled: every task's counts are added up"
                + " in the aggregation stage");
      }
    }
    allowUnsafeKafkaOverrides = allowUnsafeKafkaOverrides != null && allowUnsafeKafkaOverrides;
    processors = processors != null ? new LinkedHashMap<>(processors) : Map.of();
    maxClockSkew = maxClockSkew != null ? maxClockSkew : java.time.Duration.ofSeconds(2);
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("max_clock_skew must not be negative");
    }
    if (signals != null && (signals.isEmpty() || signals.stream().anyMatch(s -> s == null))) {
      throw new IllegalArgumentException(
          "signals must name one or more of traces, metrics, logs, was " + signals);
    }
    signals = signals != null ? List.copyOf(signals) : ALL_SIGNALS;
    maxRebuild =
        maxRebuild != null
            ? maxRebuild
            : io.otelstream.streams.traces.InputRebuilder.DEFAULT_MAX_REBUILD;
    if (maxRebuild.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || maxRebuild.compareTo(MAX_TRANSACTION_TIMEOUT.minus(REBUILD_MARGIN)) > 0) {
      throw new IllegalArgumentException(
          "max_rebuild must be 1s.."
              + MAX_TRANSACTION_TIMEOUT.minus(REBUILD_MARGIN).toMinutes()
              + "m (the broker's transaction.max.timeout.ms, 15m by default, bounds the"
              + " transaction timeout that must outlast a rebuild)");
    }
    io.otelstream.streams.processing.Pipelines.compile(processors, pipelines); // fail fast
    GuardedProperties.check("kafka", kafka, GUARDED, allowUnsafeKafkaOverrides);
    if (tailSampling == null) {
      throw new IllegalArgumentException("tail_sampling is required: at least one policy");
    }
    if (standbyReplicas < 0) {
      throw new IllegalArgumentException("standby_replicas must not be negative");
    }
    if (numStreamThreads < 1) {
      throw new IllegalArgumentException("num_stream_threads must be at least 1");
    }
  }

  /** The admin listener. */
  public record Admin(String host, Integer port) {
    Admin withDefaults() {
      return new Admin(host != null ? host : "0.0.0.0", port != null ? port : 13134);
    }
  }

  /** This configuration with Kafka client properties added over the configured ones. */
  public StreamsAppConfig withKafka(Map<String, String> overrides) {
    Map<String, String> k = new LinkedHashMap<>(kafka);
    k.putAll(overrides);
    return new StreamsAppConfig(
        applicationId,
        k,
        stateDir,
        standbyReplicas,
        numStreamThreads,
        admin,
        maxRecordBytes,
        topics,
        tailSampling,
        metrics,
        logs,
        rocksdbMemory,
        inFlightHeap,
        spanMetrics,
        serviceGraph,
        allowUnsafeKafkaOverrides,
        processors,
        pipelines,
        maxClockSkew,
        maxRebuild,
        signals);
  }

  /** This configuration with another state directory, topic catalogue and admin port. */
  public StreamsAppConfig withLocal(String stateDir, TopicsConfig topics, int adminPort) {
    return new StreamsAppConfig(
        applicationId,
        kafka,
        stateDir,
        standbyReplicas,
        numStreamThreads,
        new Admin(admin.host(), adminPort),
        maxRecordBytes,
        topics,
        tailSampling,
        metrics,
        logs,
        rocksdbMemory,
        inFlightHeap,
        spanMetrics,
        serviceGraph,
        allowUnsafeKafkaOverrides,
        processors,
        pipelines,
        maxClockSkew,
        maxRebuild,
        signals);
  }

  /** The processor pipelines of every signal, compiled. */
  public io.otelstream.streams.processing.Pipelines processing() {
    return io.otelstream.streams.processing.Pipelines.compile(processors, pipelines);
  }

  /** The metrics the sampling tasks derive from every span. */
  public io.otelstream.streams.spanmetrics.TraceMetricsConfig traceMetrics() {
    return new io.otelstream.streams.spanmetrics.TraceMetricsConfig(spanMetrics, serviceGraph);
  }

  /** The heap budget for in-flight traces this configuration asks for. */
  public io.otelstream.streams.traces.InFlightHeap inFlightHeapBudget() {
    return inFlightHeap != null
        ? new io.otelstream.streams.traces.InFlightHeap(inFlightHeap.bytes())
        : io.otelstream.streams.traces.InFlightHeap.ofMaxHeap();
  }

  /** Kafka Streams properties: exactly-once, bytes in and out, then the configured overrides. */
  public Map<String, Object> streamsProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("application.id", applicationId);
    p.put("bootstrap.servers", "localhost:9092");
    p.put("processing.guarantee", "exactly_once_v2");
    p.put("num.standby.replicas", standbyReplicas);
    p.put("num.stream.threads", numStreamThreads);
    p.put("state.dir", stateDir);
    // The topology has no global stores; enabling the handler there too is what Streams asks.
    p.put("processing.exception.handler.global.enabled", "true");
    // The partition assignor builds its own StreamsConfig from the main consumer's properties,
    // which drop the line above, and would warn again at every start.
    p.put("main.consumer.processing.exception.handler.global.enabled", "true");
    // A task rebuilds its in-flight traces inside its initialisation, for up to max_rebuild, while
    // the thread's transaction may be open (other tasks processing) and without polling: both the
    // transaction timeout and the poll interval outlast the longest rebuild, or the producer is
    // fenced and the rebuild starts again (a loop). A dangling transaction of an instance that
    // never comes back holds read_committed readers back for at most this long; one that restarts
    // (same state directory, so the same transactional id) aborts it at once.
    long rebuildBound = maxRebuild.plus(REBUILD_MARGIN).toMillis();
    p.put("producer.transaction.timeout.ms", Long.toString(Math.max(30_000, rebuildBound)));
    p.put("main.consumer.max.poll.interval.ms", Long.toString(Math.max(300_000, rebuildBound)));
    p.put(MAX_REBUILD_MS, Long.toString(maxRebuild.toMillis()));
    // One transaction a second instead of ten (exactly-once's default): read_committed readers see
    // output up to a second later, which decision_wait dwarfs, and the broker writes a tenth of
    // the transaction markers. Records wait in the producer for the commit (which flushes) or a
    // full 256 KiB batch, so the broker takes few large batches. Measured in perf/RESULTS.md.
    p.put("commit.interval.ms", "1000");
    p.put("producer.linger.ms", "1000");
    p.put("producer.batch.size", Integer.toString(256 * 1024));
    // Kafka's metrics reach /metrics through Micrometer, which reads them from the clients. A JMX
    // registration of each of the thousands of thread, task, processor and store metrics, and
    // client telemetry pushed to the broker (KIP-714), served nobody and cost about a CPU-second
    // at every start (perf/RESULTS.md). Either comes back with an override.
    p.put("metric.reporters", "");
    p.put("enable.metrics.push", "false");
    p.put("rocksdb.config.setter", BoundedRocksDbConfig.class.getName());
    p.put(RocksDbMemory.MEMORY_BYTES, Long.toString(rocksdbMemory.bytes()));
    p.put("default.key.serde", "org.apache.kafka.common.serialization.Serdes$ByteArraySerde");
    p.put("default.value.serde", "org.apache.kafka.common.serialization.Serdes$ByteArraySerde");
    p.putAll(kafka);
    checkRebuildFits(p);
    return p;
  }

  /**
   * A rebuild (up to max_rebuild) must fit inside the transaction timeout and the poll interval the
   * app runs with, overrides included: the rule the defaults above keep.
   */
  private void checkRebuildFits(Map<String, Object> p) {
    long commit = Long.parseLong(p.get("commit.interval.ms").toString());
    // A rebuild overruns its bound by up to one poll (500 ms) and its records' handling.
    long needed = maxRebuild.toMillis() + commit + 1000;
    for (List<String> keys :
        List.of(
            List.of("producer.transaction.timeout.ms", "transaction.timeout.ms"),
            List.of(
                "main.consumer.max.poll.interval.ms",
                "consumer.max.poll.interval.ms",
                "max.poll.interval.ms"))) {
      String key = keys.stream().filter(p::containsKey).findFirst().orElseThrow();
      long value = Long.parseLong(p.get(key).toString());
      if (value < needed) {
        throw new IllegalArgumentException(
            "kafka "
                + key
                + " ("
                + value
                + " ms) must exceed max_rebuild ("
                + maxRebuild.toMillis()
                + " ms) plus commit.interval.ms ("
                + commit
                + " ms) plus 1 s: a task rebuilds its in-flight traces while the thread's transaction may be"
                + " open and without polling; raise it or lower max_rebuild");
      }
    }
  }
}
