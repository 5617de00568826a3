package io.otelstream.streams.app;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otelstream.admin.AdminEndpoint;
import io.otelstream.admin.Health;
import io.otelstream.schemas.Signal;
import io.otelstream.schemas.metrics.MetricNames;
import io.otelstream.streams.sampling.PolicyFactory;
import io.otelstream.streams.traces.SamplingMetrics;
import io.otelstream.streams.traces.SamplingSettings;
import io.otelstream.topics.TopicCatalog;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running Kafka Streams application with its admin endpoint. */
public final class StreamsApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  private final KafkaStreams streams;
  private final AdminEndpoint admin;
  private final io.otelstream.streams.aggregation.AggregationMetrics aggregationMetrics;
  private final KafkaStreamsMetrics streamsMetrics;
  private final ThreadFailures threadFailures = new ThreadFailures();
  private volatile String stateRefused;
  private final BrokerEndOffsets inputEnds;
  private final RetentionLosses retentionLosses;
  private final boolean staticMember;

  private StreamsApp(StreamsAppConfig config) {
    staticMember =
        config.streamsProperties().keySet().stream()
            .anyMatch(k -> k.equals("group.instance.id") || k.endsWith(".group.instance.id"));
    PolicyFactory.engine(config.tailSampling(), "tail_sampling"); // fail fast on bad policies
    LOG.info(
        "streams configuration (secrets masked): {}",
        io.otelstream.config.EffectiveConfig.describe(config));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    io.micrometer.core.instrument.Gauge.builder(
            MetricNames.STREAMS_STATE_REFUSED.name(), this, app -> app.stateRefused == null ? 0 : 1)
        .description("1 when this release cannot read its state and stopped processing")
        .register(registry);
    new JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    var inFlightHeap = config.inFlightHeapBudget();
    SamplingMetrics metrics = new SamplingMetrics(registry, inFlightHeap);
    TopicCatalog topics = new TopicCatalog(config.topics());
    // Every dead-letter reason the processors can give, at 0 from the start.
    if (config.processes(Signal.TRACES)) {
      metrics.deadLetterReason(topics.name(io.otelstream.topics.Topic.TRACES), "undecodable");
      metrics.deadLetterReason(topics.name(io.otelstream.topics.Topic.TRACES), "invalid_key");
    }
    for (Signal signal : java.util.List.of(Signal.METRICS, Signal.LOGS)) {
      if (config.processes(signal)) {
        metrics.deadLetterReason(signal.key(), "undecodable");
      }
    }
    inputEnds =
        new BrokerEndOffsets(config.streamsProperties(), config.applicationId() + "-input-ends");
    aggregationMetrics = new io.otelstream.streams.aggregation.AggregationMetrics(registry);
    retentionLosses =
        new RetentionLosses(config.streamsProperties(), config.applicationId(), registry);
    var topology =
        OtelstreamTopology.build(
            topics,
            new OtelstreamTopology.Parts(
                SamplingSettings.from(
                        config.tailSampling(), config.maxRecordBytes().toIntExact(), inFlightHeap)
                    .withMaxClockSkew(config.maxClockSkew()),
                () -> PolicyFactory.engine(config.tailSampling(), "tail_sampling"),
                metrics,
                config.metrics(),
                config.logs(),
                new io.otelstream.streams.signals.SignalMetrics(registry),
                aggregationMetrics,
                config.traceMetrics(),
                inputEnds,
                config.processing(),
                retentionLosses,
                config.signals()),
            config.streamsProperties());
    Properties props = new Properties();
    props.putAll(config.streamsProperties());
    StateSchemas stateSchemas =
        new StateSchemas(config.streamsProperties(), config.applicationId());
    stateSchemas.publish(config.topics().replicationFactor());
    io.otelstream.schemas.AvroState.writerSchemas(stateSchemas::lookup);
    streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          io.otelstream.schemas.UnknownStateVersionException unreadable = unreadableState(e);
          if (unreadable != null) {
            // A restart cannot help: this release is older than its state. Stop processing once,
            // stay live (no restart loop) and not ready, and say why.
            stateRefused = unreadable.getMessage();
            LOG.error(
                "this release cannot read its state, so it stops processing (it stays up, not"
                    + " ready): {}",
                stateRefused);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          }
          threadFailures.failed(System.currentTimeMillis());
          LOG.error(
              "stream thread failed ({} in the last {}); replacing it",
              threadFailures.recent(System.currentTimeMillis()),
              ThreadFailures.WINDOW,
              e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    StreamsAppMetrics appMetrics =
        new StreamsAppMetrics(streams, java.nio.file.Path.of(config.stateDir()));
    streams.setGlobalStateRestoreListener(appMetrics.restoreListener());
    appMetrics.bindTo(
        registry,
        config.signals().stream()
            .map(s -> topics.name(io.otelstream.topics.Topic.raw(s)))
            .sorted()
            .toList());
    admin = adminEndpoint(config.admin(), registry);
    streams.start();
    LOG.info(
        "streams app '{}' started: {} -> {}, admin {}:{}",
        config.applicationId(),
        topics.name(io.otelstream.topics.Topic.TRACES),
        topics.name(io.otelstream.topics.Topic.TRACES_SAMPLED),
        config.admin().host(),
        admin.port());
  }

  public static StreamsApp start(StreamsAppConfig config) {
    return new StreamsApp(config);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Partitions of {@code topic} whose tasks run active on this instance. */
  public java.util.Set<Integer> activePartitions(String topic) {
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    streams
        .metadataForLocalThreads()
        .forEach(
            t ->
                t.activeTasks()
                    .forEach(
                        task ->
                            task.topicPartitions().stream()
                                .filter(tp -> tp.topic().equals(topic))
                                .forEach(tp -> out.add(tp.partition()))));
    return out;
  }

  public int adminPort() {
    return admin.port();
  }

  /** The state-version refusal behind a stream thread's failure, if that is what it was. */
  private static io.otelstream.schemas.UnknownStateVersionException unreadableState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.otelstream.schemas.UnknownStateVersionException u) {
        return u;
      }
    }
    return null;
  }

  private AdminEndpoint adminEndpoint(
      StreamsAppConfig.Admin listener, PrometheusMeterRegistry registry) {
    return AdminEndpoint.forComponent("streams")
        .metrics(registry)
        .live(this::liveness)
        .ready(this::readiness)
        .json(
            "/cardinality",
            () ->
                io.otelstream.streams.aggregation.CardinalityJson.render(
                    aggregationMetrics.report()))
        .listen(listener.host(), listener.port());
  }

  /** Live unless a stream thread keeps failing or the app stopped; a refused state stays live. */
  private Health liveness() {
    KafkaStreams.State s = streams.state();
    long now = System.currentTimeMillis();
    boolean live =
        stateRefused != null
            || (threadFailures.healthy(now)
                && s != KafkaStreams.State.ERROR
                && s != KafkaStreams.State.NOT_RUNNING);
    Health h = Health.of(live, s.toString()).with("threadFailures", threadFailures.recent(now));
    return stateRefused == null ? h : h.with("stateRefused", stateRefused);
  }

  /** Ready while every task runs. */
  private Health readiness() {
    KafkaStreams.State s = streams.state();
    Health h = Health.of(s == KafkaStreams.State.RUNNING, s.toString());
    return stateRefused == null ? h : h.with("stateRefused", stateRefused);
  }

  @Override
  public void close() {
    // A static member (group.instance.id) stays in the group: restarted within the session
    // timeout it takes its partitions back with no rebalance (a rolling restart). A dynamic
    // member leaves, so its partitions move at once instead of after session.timeout.ms.
    streams.close(
        CloseOptions.groupMembershipOperation(
                staticMember
                    ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                    : CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(60)));
    streamsMetrics.close();
    inputEnds.close();
    retentionLosses.close();
    admin.close();
    LOG.info("streams app stopped");
  }
}
