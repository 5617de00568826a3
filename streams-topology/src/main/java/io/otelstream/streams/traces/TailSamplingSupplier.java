package io.otelstream.streams.traces;

import io.otelstream.streams.aggregation.AggregationStores;
import io.otelstream.streams.processing.Pipelines;
import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.spanmetrics.MetricDeltas;
import io.otelstream.streams.spanmetrics.TraceMetricsConfig;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Tail sampling as a topology node: a {@link TailSamplingProcessor} per task, and the stores it
 * needs, declared here once so the streams app's topology and a replay's get the same ones (Kafka
 * Streams adds and connects a supplier's {@link #stores()}).
 */
public final class TailSamplingSupplier
    implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
  private final String inputTopic;
  private final SamplingSettings settings;
  private final Supplier<SamplingEngine> engines;
  private final SamplingMetrics metrics;
  private final InputEnd inputEnd;
  private final SamplingRun run;
  private final TraceMetricsConfig traceMetrics;
  private final Pipelines processing;

  /**
   * @param engines a policy engine per processor (engines keep per-task state)
   * @param run live processing or a replay; a replay's stores carry its suffix and no changelog
   */
  public TailSamplingSupplier(
      String inputTopic,
      SamplingSettings settings,
      Supplier<SamplingEngine> engines,
      SamplingMetrics metrics,
      InputEnd inputEnd,
      SamplingRun run,
      TraceMetricsConfig traceMetrics,
      Pipelines processing) {
    this.inputTopic = inputTopic;
    this.settings = settings;
    this.engines = engines;
    this.metrics = metrics;
    this.inputEnd = inputEnd;
    this.run = run;
    this.traceMetrics = traceMetrics;
    this.processing = processing;
  }

  @Override
  public Processor<byte[], byte[], byte[], byte[]> get() {
    return new TailSamplingProcessor(
        inputTopic, settings, engines.get(), metrics, inputEnd, run, traceMetrics, processing);
  }

  /**
   * The decision cache and the partition watermarks (changelogged live; a replay works on a copy of
   * a window and keeps nothing), and the span-metric deltas when span metrics are on.
   */
  @Override
  public Set<StoreBuilder<?>> stores() {
    Set<StoreBuilder<?>> stores = new HashSet<>();
    for (String store : TraceStores.ALL) {
      var builder = TraceStores.builder(store + run.storeSuffix());
      stores.add(run.changelogged() ? builder : builder.withLoggingDisabled());
    }
    if (traceMetrics.enabled()) {
      stores.add(AggregationStores.builder(MetricDeltas.STORE));
    }
    return stores;
  }
}
