package io.otelstream.streams.processing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.signals.DataPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Collector's legacy {@code filter} processor: items its include does not select or its exclude
 * matches are removed (spans, whole metrics, log records), and resources and scopes left empty with
 * them, as the Collector removes them.
 */
final class FilterStage implements Stage {
  private final String name;
  private final Selection spans;
  private final Selection metrics;
  private final Selection logs;

  FilterStage(String name, ProcessorConfigs.Filter config, Set<Signal> signals) {
    this.name = name;
    this.spans = section(config.spans(), signals, Signal.TRACES, Selection::forSpans);
    this.metrics = section(config.metrics(), signals, Signal.METRICS, Selection::forMetrics);
    this.logs = section(config.logs(), signals, Signal.LOGS, Selection::forLogs);
  }

  private static Selection section(
      ProcessorConfigs.Section s,
      Set<Signal> signals,
      Signal signal,
      java.util.function.BiFunction<MatchProperties, MatchProperties, Selection> compile) {
    if (s == null || !signals.contains(signal) || (s.include() == null && s.exclude() == null)) {
      return null;
    }
    return compile.apply(s.include(), s.exclude());
  }

  /**
   * Whether this filter has a section for the signal (else it passes everything, as in the
   * Collector).
   */
  boolean filters(Signal signal) {
    return switch (signal) {
      case TRACES -> spans != null;
      case METRICS -> metrics != null;
      case LOGS -> logs != null;
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long traces(ExportTraceServiceRequest.Builder request, Pipelines.Drops counts) {
    if (spans == null || !anySpanRemoved(request)) {
      return 0;
    }
    long removed = 0;
    List<ResourceSpans> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
        for (Span s : ss.getSpansList()) {
          if (spans.selects(m -> m.span(rs.getResource(), ss.getScope(), s))) {
            sb.addSpans(s);
          } else {
            removed++;
          }
        }
        if (sb.getSpansCount() > 0) {
          rb.addScopeSpans(sb);
        }
      }
      if (rb.getScopeSpansCount() > 0) {
        out.add(rb.build());
      }
    }
    if (removed > 0) {
      request.clearResourceSpans().addAllResourceSpans(out);
    }
    return removed;
  }

  @Override
  public long metrics(ExportMetricsServiceRequest.Builder request, Pipelines.Drops counts) {
    if (metrics == null || !anyMetricRemoved(request)) {
      return 0;
    }
    long removed = 0;
    List<ResourceMetrics> out = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      ResourceMetrics.Builder rb = rm.toBuilder().clearScopeMetrics();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder sb = sm.toBuilder().clearMetrics();
        for (Metric metric : sm.getMetricsList()) {
          if (metrics.selects(m -> m.metric(rm.getResource(), metric))) {
            sb.addMetrics(metric);
          } else {
            removed += DataPoints.count(metric);
          }
        }
        if (sb.getMetricsCount() > 0) {
          rb.addScopeMetrics(sb);
        }
      }
      if (rb.getScopeMetricsCount() > 0) {
        out.add(rb.build());
      }
    }
    if (removed > 0) {
      request.clearResourceMetrics().addAllResourceMetrics(out);
    }
    return removed;
  }

  @Override
  public long logs(ExportLogsServiceRequest.Builder request, Pipelines.Drops counts) {
    if (logs == null || !anyLogRemoved(request)) {
      return 0;
    }
    long removed = 0;
    List<ResourceLogs> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceLogs.Builder rb = rl.toBuilder().clearScopeLogs();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder sb = sl.toBuilder().clearLogRecords();
        for (LogRecord l : sl.getLogRecordsList()) {
          if (logs.selects(m -> m.log(rl.getResource(), sl.getScope(), l))) {
            sb.addLogRecords(l);
          } else {
            removed++;
          }
        }
        if (sb.getLogRecordsCount() > 0) {
          rb.addScopeLogs(sb);
        }
      }
      if (rb.getScopeLogsCount() > 0) {
        out.add(rb.build());
      }
    }
    if (removed > 0) {
      request.clearResourceLogs().addAllResourceLogs(out);
    }
    return removed;
  }

  // A first pass that only reads: most requests lose nothing, and then nothing is rebuilt.

  private boolean anySpanRemoved(ExportTraceServiceRequest.Builder request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (!spans.selects(m -> m.span(rs.getResource(), ss.getScope(), s))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean anyMetricRemoved(ExportMetricsServiceRequest.Builder request) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          if (!metrics.selects(m -> m.metric(rm.getResource(), metric))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean anyLogRemoved(ExportLogsServiceRequest.Builder request) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord l : sl.getLogRecordsList()) {
          if (!logs.selects(m -> m.log(rl.getResource(), sl.getScope(), l))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
