package io.otelstream.streams.processing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;

/** The Collector's {@code resource} processor: actions on resource attributes, every signal. */
final class ResourceStage implements Stage {
  private final String name;
  private final AttributeActions actions;

  ResourceStage(String name, ProcessorConfigs.Resource config) {
    this.name = name;
    this.actions = new AttributeActions(config.attributes());
  }

  @Override
  public String name() {
    return name;
  }

  private void edit(Resource.Builder r) {
    var before = r.getAttributesList();
    var edited = actions.apply(before);
    if (edited != before) {
      r.clearAttributes().addAllAttributes(edited);
    }
  }

  @Override
  public long traces(ExportTraceServiceRequest.Builder request, Pipelines.Drops counts) {
    request.getResourceSpansBuilderList().forEach(rs -> edit(rs.getResourceBuilder()));
    return 0;
  }

  @Override
  public long metrics(ExportMetricsServiceRequest.Builder request, Pipelines.Drops counts) {
    request.getResourceMetricsBuilderList().forEach(rm -> edit(rm.getResourceBuilder()));
    return 0;
  }

  @Override
  public long logs(ExportLogsServiceRequest.Builder request, Pipelines.Drops counts) {
    request.getResourceLogsBuilderList().forEach(rl -> edit(rl.getResourceBuilder()));
    return 0;
  }
}
