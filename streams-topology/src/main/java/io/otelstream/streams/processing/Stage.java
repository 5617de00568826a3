package io.otelstream.streams.processing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * One configured processor, applied to a request in place. Each method returns how many items
 * (spans, data points, log records) it removed, and may count what else it did in {@code counts}; a
 * processor that does not apply to a signal leaves it as it is, as in a Collector pipeline.
 */
interface Stage {
  String name();

  default long traces(ExportTraceServiceRequest.Builder request, Pipelines.Drops counts) {
    return 0;
  }

  default long metrics(ExportMetricsServiceRequest.Builder request, Pipelines.Drops counts) {
    return 0;
  }

  default long logs(ExportLogsServiceRequest.Builder request, Pipelines.Drops counts) {
    return 0;
  }
}
