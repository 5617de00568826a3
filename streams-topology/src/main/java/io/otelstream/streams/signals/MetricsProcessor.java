package io.otelstream.streams.signals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelstream.streams.traces.DeadLetters;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Metric-name filters and attribute actions on each otlp-metrics record. */
public final class MetricsProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String SINK = "metrics-sink";

  private final NameMatcher include;
  private final NameMatcher exclude;
  private final AttributeEditor points;
  private final AttributeEditor resource;
  private final SignalMetrics metrics;
  private ProcessorContext<byte[], byte[]> context;

  public MetricsProcessor(MetricsConfig config, SignalMetrics metrics) {
    this.include = config.include() == null ? null : new NameMatcher(config.include());
    this.exclude = config.exclude() == null ? null : new NameMatcher(config.exclude());
    this.points = new AttributeEditor(config.attributes(), config.keepOnlyAttributes());
    this.resource = new AttributeEditor(config.resourceAttributes(), null);
    this.metrics = metrics;
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
      metrics.deadLettered("metrics", "undecodable");
      DeadLetters.send(context, record, "undecodable", DeadLetters.METRICS_SINK);
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
          if ((include != null && !include.matches(m.getName()))
              || (exclude != null && exclude.matches(m.getName()))) {
            dropped += DataPoints.count(m);
            continue;
          }
          sb.addMetrics(points.isNoop() ? m : DataPoints.editAttributes(m, points));
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
    metrics.items("metrics", kept, dropped);
    if (out.getResourceMetricsCount() > 0) {
      context.forward(record.withValue(out.build().toByteArray()), SINK);
    }
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
