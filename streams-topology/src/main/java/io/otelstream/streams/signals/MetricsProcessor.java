package io.otelstream.streams.signals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelstream.schemas.Headers;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.aggregation.SeriesKeys;
import io.otelstream.streams.traces.DeadLetters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Metric-name filters on each otlp-metrics record, then either the attribute actions (aggregation
 * off) or a record per metric name to the aggregation topic, keyed by tenant and metric name, so
 * that the aggregation stage sees every series of a metric in one task.
 */
public final class MetricsProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String SINK = "metrics-sink";
  public static final String AGGREGATION_SINK = "metrics-aggregation-sink";

  private final NameMatcher include;
  private final NameMatcher exclude;
  private final AttributeEditor points;
  private final AttributeEditor resource;
  private final SignalMetrics metrics;
  private final io.otelstream.streams.processing.Pipelines processing;
  private final io.otelstream.streams.processing.ProcessorDrops drops;
  private final boolean aggregate;
  private ProcessorContext<byte[], byte[]> context;

  public MetricsProcessor(MetricsConfig config, SignalMetrics metrics) {
    this(config, metrics, io.otelstream.streams.processing.Pipelines.NONE);
  }

  /**
   * With the Collector processors of the metrics pipeline, run before the name filters and the
   * aggregation stage (so points whose attributes a processor removed are merged there).
   */
  public MetricsProcessor(
      MetricsConfig config,
      SignalMetrics metrics,
      io.otelstream.streams.processing.Pipelines processing) {
    this.processing = processing;
    this.drops =
        new io.otelstream.streams.processing.ProcessorDrops(
            metrics.registry(), Signal.METRICS, processing);
    this.include = config.include() == null ? null : new NameMatcher(config.include());
    this.exclude = config.exclude() == null ? null : new NameMatcher(config.exclude());
    this.points = new AttributeEditor(config.attributes(), config.keepOnlyAttributes());
    this.resource = new AttributeEditor(config.resourceAttributes(), null);
    this.metrics = metrics;
    this.aggregate = config.aggregation().enabled();
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ExportMetricsServiceRequest request;
    try {
      request = ExportMetricsServiceRequest.parseFrom(record.value());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      metrics.deadLettered(Signal.METRICS, "undecodable");
      DeadLetters.send(context, record, "undecodable", DeadLetters.METRICS_SINK);
      return;
    }
    if (!processing.isEmpty(Signal.METRICS)) {
      ExportMetricsServiceRequest.Builder processed = request.toBuilder();
      processing.metrics(processed, drops);
      request = processed.build();
    }
    if (aggregate) {
      toAggregation(record, request);
      return;
    }
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    long kept = 0;
    long dropped = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      ResourceMetrics.Builder rb = rm.toBuilder().clearScopeMetrics();
      if (!resource.isNoop()) {
        rb.getResourceBuilder()
            .clearAttributes()
            .addAllAttributes(resource.apply(rm.getResource().getAttributesList()));
      }
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder sb = sm.toBuilder().clearMetrics();
        for (Metric m : sm.getMetricsList()) {
          if (!kept(m)) {
            dropped += DataPoints.count(m);
            continue;
          }
          sb.addMetrics(points.isNoop() ? m : DataPoints.editAttributes(m, points::apply));
          kept += DataPoints.count(m);
        }
        if (sb.getMetricsCount() > 0) {
          rb.addScopeMetrics(sb);
        }
      }
      if (rb.getScopeMetricsCount() > 0) {
        out.addResourceMetrics(rb);
      }
    }
    metrics.items(Signal.METRICS, kept, dropped);
    if (out.getResourceMetricsCount() > 0) {
      context.forward(record.withValue(out.build().toByteArray()), SINK);
    }
  }

  private boolean kept(Metric m) {
    return (include == null || include.matches(m.getName()))
        && (exclude == null || !exclude.matches(m.getName()));
  }

  /** One record per metric name (its points from every scope), keyed by tenant and name. */
  private void toAggregation(Record<byte[], byte[]> record, ExportMetricsServiceRequest request) {
    String tenant = Headers.tenant(record.headers());
    long kept = 0;
    long dropped = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, ResourceMetrics.Builder> byName = new LinkedHashMap<>();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (!kept(m)) {
            dropped += DataPoints.count(m);
            continue;
          }
          kept += DataPoints.count(m);
          ResourceMetrics.Builder rb =
              byName.computeIfAbsent(
                  m.getName(), n -> ResourceMetrics.newBuilder().setResource(rm.getResource()));
          rb.addScopeMetrics(
              ScopeMetrics.newBuilder()
                  .setScope(sm.getScope())
                  .setSchemaUrl(sm.getSchemaUrl())
                  .addMetrics(m));
        }
      }
      byName.forEach(
          (name, rb) ->
              context.forward(
                  record
                      .withKey(SeriesKeys.metric(tenant, name))
                      .withValue(
                          ExportMetricsServiceRequest.newBuilder()
                              .addResourceMetrics(rb)
                              .build()
                              .toByteArray()),
                  AGGREGATION_SINK));
    }
    metrics.items(Signal.METRICS, kept, dropped);
  }

  /** Strict or regexp matching of metric names. */
  private static final class NameMatcher {
    private final List<String> names;
    private final List<Pattern> patterns;

    NameMatcher(MetricsConfig.NameFilter filter) {
      this.names = filter.metricNames();
      this.patterns =
          filter.matchType().equals("regexp")
              ? names.stream().map(Pattern::compile).toList()
              : null;
    }

    boolean matches(String name) {
      if (patterns == null) {
        return names.contains(name);
      }
      return patterns.stream().anyMatch(p -> p.matcher(name).find());
    }
  }
}
