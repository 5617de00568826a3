package io.otelstream.streams.app;

import io.otelstream.schemas.Signal;
import io.otelstream.streams.aggregation.AggregationMetrics;
import io.otelstream.streams.aggregation.AggregationStores;
import io.otelstream.streams.aggregation.MetricAggregator;
import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.signals.LogsConfig;
import io.otelstream.streams.signals.LogsProcessor;
import io.otelstream.streams.signals.MetricsConfig;
import io.otelstream.streams.signals.MetricsProcessor;
import io.otelstream.streams.signals.SignalMetrics;
import io.otelstream.streams.spanmetrics.MetricDeltas;
import io.otelstream.streams.spanmetrics.TraceMetricsConfig;
import io.otelstream.streams.traces.DeadLetters;
import io.otelstream.streams.traces.InputEnd;
import io.otelstream.streams.traces.SamplingMetrics;
import io.otelstream.streams.traces.SamplingSettings;
import io.otelstream.streams.traces.TailSamplingProcessor;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/** The processing graph: raw topics in, processed topics and the dead-letter topic out. */
public final class OtelstreamTopology {
  private OtelstreamTopology() {}

  /** What each signal's branch needs. */
  public record Parts(
      SamplingSettings sampling,
      Supplier<SamplingEngine> engines,
      SamplingMetrics samplingMetrics,
      MetricsConfig metrics,
      LogsConfig logs,
      SignalMetrics signalMetrics,
      AggregationMetrics aggregationMetrics,
      TraceMetricsConfig traceMetrics,
      InputEnd inputEnd,
      io.otelstream.streams.processing.Pipelines processing,
      InputRetention retention,
      java.util.List<Signal> signals) {

    /** Parts of an app that processes every signal. */
    public Parts(
        SamplingSettings sampling,
        Supplier<SamplingEngine> engines,
        SamplingMetrics samplingMetrics,
        MetricsConfig metrics,
        LogsConfig logs,
        SignalMetrics signalMetrics,
        AggregationMetrics aggregationMetrics,
        TraceMetricsConfig traceMetrics,
        InputEnd inputEnd,
        io.otelstream.streams.processing.Pipelines processing,
        InputRetention retention) {
      this(
          sampling,
          engines,
          samplingMetrics,
          metrics,
          logs,
          signalMetrics,
          aggregationMetrics,
          traceMetrics,
          inputEnd,
          processing,
          retention,
          StreamsAppConfig.ALL_SIGNALS);
    }

    /** Parts whose input is not checked for offsets lost to retention. */
    public Parts(
        SamplingSettings sampling,
        Supplier<SamplingEngine> engines,
        SamplingMetrics samplingMetrics,
        MetricsConfig metrics,
        LogsConfig logs,
        SignalMetrics signalMetrics,
        AggregationMetrics aggregationMetrics,
        TraceMetricsConfig traceMetrics,
        InputEnd inputEnd,
        io.otelstream.streams.processing.Pipelines processing) {
      this(
          sampling,
          engines,
          samplingMetrics,
          metrics,
          logs,
          signalMetrics,
          aggregationMetrics,
          traceMetrics,
          inputEnd,
          processing,
          InputRetention.NONE);
    }

    /** Parts for a topology without a consumer (TopologyTestDriver): input is always caught up. */
    public Parts(
        SamplingSettings sampling,
        Supplier<SamplingEngine> engines,
        SamplingMetrics samplingMetrics,
        MetricsConfig metrics,
        LogsConfig logs,
        SignalMetrics signalMetrics) {
      this(
          sampling,
          engines,
          samplingMetrics,
          metrics,
          logs,
          signalMetrics,
          new AggregationMetrics(signalMetrics.registry()),
          TraceMetricsConfig.disabled(),
          InputEnd.NONE,
          io.otelstream.streams.processing.Pipelines.NONE,
          InputRetention.NONE);
    }
  }

  /**
   * Rate and byte limits keep per-task state, so each task gets a fresh engine from the supplier.
   */
  public static Topology build(TopicCatalog topics, Parts parts) {
    return build(new Topology(), topics, parts);
  }

  /** The topology configured by the app's Streams properties (as KafkaStreams will run it). */
  public static Topology build(
      TopicCatalog topics, Parts parts, java.util.Map<String, Object> streamsProperties) {
    return build(
        new Topology(
            new org.apache.kafka.streams.TopologyConfig(
                new org.apache.kafka.streams.StreamsConfig(streamsProperties))),
        topics,
        parts);
  }

  private static Topology build(Topology t, TopicCatalog topics, Parts parts) {
    if (parts.signals().contains(Signal.TRACES)) {
      traces(t, topics, parts);
    }
    if (parts.signals().contains(Signal.METRICS)) {
      metrics(t, topics, parts);
    }
    if (parts.signals().contains(Signal.LOGS)) {
      logs(t, topics, parts);
    }
    return t;
  }

  private static void traces(Topology t, TopicCatalog topics, Parts parts) {
    ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
    ByteArraySerializer bytesOut = new ByteArraySerializer();
    t.addSource("traces-source", bytesIn, bytesIn, topics.name(Topic.TRACES));
    String traces = checked(t, "traces-source", parts);
    t.addProcessor(
        "tail-sampling",
        new io.otelstream.streams.traces.TailSamplingSupplier(
            topics.name(Topic.TRACES),
            parts.sampling(),
            parts.engines(),
            parts.samplingMetrics(),
            parts.inputEnd(),
            io.otelstream.streams.traces.SamplingRun.LIVE,
            parts.traceMetrics(),
            parts.processing()),
        traces);
    if (parts.traceMetrics().enabled()) {
      if (!parts.metrics().aggregation().enabled()) {
        throw new IllegalArgumentException(
            "span_metrics and service_graph need metrics.aggregation.enabled: every task's counts"
                + " are added up in the aggregation stage");
      }
      // Span-derived metrics go to the aggregation stage, which adds every task's deltas into one
      // series (their store is the sampler's, declared by its supplier).
      t.addSink(
          MetricDeltas.SINK,
          topics.name(Topic.METRICS_AGGREGATION),
          bytesOut,
          bytesOut,
          "tail-sampling");
    }
    t.addSink(
        TailSamplingProcessor.SINK,
        topics.name(Topic.TRACES_SAMPLED),
        bytesOut,
        bytesOut,
        "tail-sampling");

    t.addSink(DeadLetters.SINK, topics.name(Topic.DEADLETTER), bytesOut, bytesOut, "tail-sampling");
  }

  private static void metrics(Topology t, TopicCatalog topics, Parts parts) {
    ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
    ByteArraySerializer bytesOut = new ByteArraySerializer();
    t.addSource("metrics-source", bytesIn, bytesIn, topics.name(Topic.METRICS));
    t.addProcessor(
        "metrics",
        () -> new MetricsProcessor(parts.metrics(), parts.signalMetrics(), parts.processing()),
        checked(t, "metrics-source", parts));
    t.addSink(
        MetricsProcessor.SINK, topics.name(Topic.METRICS_PROCESSED), bytesOut, bytesOut, "metrics");
    if (parts.metrics().aggregation().enabled()) {
      // The aggregation stage, a sub-topology of its own behind a repartition through a topic of
      // the catalogue: stage one keys each metric's points by tenant and metric name.
      t.addSink(
          MetricsProcessor.AGGREGATION_SINK,
          topics.name(Topic.METRICS_AGGREGATION),
          bytesOut,
          bytesOut,
          "metrics");
      t.addSource(
          "metrics-aggregation-source", bytesIn, bytesIn, topics.name(Topic.METRICS_AGGREGATION));
      t.addProcessor(
          "metrics-aggregate",
          () -> new MetricAggregator(parts.metrics(), parts.aggregationMetrics()),
          checked(t, "metrics-aggregation-source", parts));
      for (String store : AggregationStores.ALL) {
        t.addStateStore(AggregationStores.builder(store), "metrics-aggregate");
      }
      t.addSink(
          MetricAggregator.SINK,
          topics.name(Topic.METRICS_PROCESSED),
          bytesOut,
          bytesOut,
          "metrics-aggregate");
      t.addSink(
          DeadLetters.METRICS_AGGREGATION_SINK,
          topics.name(Topic.DEADLETTER),
          bytesOut,
          bytesOut,
          "metrics-aggregate");
    }

    t.addSink(
        DeadLetters.METRICS_SINK, topics.name(Topic.DEADLETTER), bytesOut, bytesOut, "metrics");
  }

  private static void logs(Topology t, TopicCatalog topics, Parts parts) {
    ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
    ByteArraySerializer bytesOut = new ByteArraySerializer();
    t.addSource("logs-source", bytesIn, bytesIn, topics.name(Topic.LOGS));
    t.addProcessor(
        "logs",
        () -> new LogsProcessor(parts.logs(), parts.signalMetrics(), parts.processing()),
        checked(t, "logs-source", parts));
    t.addSink(LogsProcessor.SINK, topics.name(Topic.LOGS_PROCESSED), bytesOut, bytesOut, "logs");
    // A dead-letter sink per signal, so that each signal is a sub-topology of its own (see
    // DeadLetters.SINK).
    t.addSink(DeadLetters.LOGS_SINK, topics.name(Topic.DEADLETTER), bytesOut, bytesOut, "logs");
  }

  /**
   * The node a source's processor reads from: a {@link RetentionCheck} after the source when the
   * input is checked for offsets retention deleted unread, else the source itself.
   */
  private static String checked(Topology t, String source, Parts parts) {
    if (parts.retention() == InputRetention.NONE) {
      return source;
    }
    String name = source + "-retention-check";
    t.addProcessor(name, () -> new RetentionCheck(parts.retention()), source);
    return name;
  }
}
