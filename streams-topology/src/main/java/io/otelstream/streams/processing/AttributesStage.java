package io.otelstream.streams.processing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.signals.DataPoints;
import java.util.Set;

/** The Collector's {@code attributes} processor: actions on the items include/exclude select. */
final class AttributesStage implements Stage {
  private final String name;
  private final AttributeActions actions;
  private final Selection spans;
  private final Selection metrics;
  private final Selection logs;

  AttributesStage(String name, ProcessorConfigs.Attributes config, Set<Signal> signals) {
    this.name = name;
    this.actions = new AttributeActions(config.actions());
    this.spans =
        signals.contains(Signal.TRACES)
            ? Selection.forSpans(config.include(), config.exclude())
            : null;
    this.metrics =
        signals.contains(Signal.METRICS)
            ? Selection.forMetrics(config.include(), config.exclude())
            : null;
    this.logs =
        signals.contains(Signal.LOGS)
            ? Selection.forLogs(config.include(), config.exclude())
            : null;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long traces(ExportTraceServiceRequest.Builder request, Pipelines.Drops counts) {
    for (ResourceSpans.Builder rs : request.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder s : ss.getSpansBuilderList()) {
          if (spans.selects(m -> m.span(rs.getResource(), ss.getScope(), s.build()))) {
            var before = s.getAttributesList();
            var edited = actions.apply(before);
            if (edited != before) {
              s.clearAttributes().addAllAttributes(edited);
            }
          }
        }
      }
    }
    return 0;
  }

  @Override
  public long metrics(ExportMetricsServiceRequest.Builder request, Pipelines.Drops counts) {
    for (ResourceMetrics.Builder rm : request.getResourceMetricsBuilderList()) {
      for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
        for (int i = 0; i < sm.getMetricsCount(); i++) {
          var metric = sm.getMetrics(i);
          if (metrics.selects(m -> m.metric(rm.getResource(), metric))) {
            sm.setMetrics(i, DataPoints.editAttributes(metric, actions::apply));
          }
        }
      }
    }
    return 0;
  }

  @Override
  public long logs(ExportLogsServiceRequest.Builder request, Pipelines.Drops counts) {
    for (ResourceLogs.Builder rl : request.getResourceLogsBuilderList()) {
      for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
        for (LogRecord.Builder l : sl.getLogRecordsBuilderList()) {
          if (logs.selects(m -> m.log(rl.getResource(), sl.getScope(), l.build()))) {
            var before = l.getAttributesList();
            var edited = actions.apply(before);
            if (edited != before) {
              l.clearAttributes().addAllAttributes(edited);
            }
          }
        }
      }
    }
    return 0;
  }
}
