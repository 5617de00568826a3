package io.otelstream.streams.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.processing.Pipelines;
import io.otelstream.streams.processing.ProcessorDrops;

/** The traces pipeline's processors on one input record's value, before tail sampling sees it. */
final class SpanProcessing {
  private final Pipelines pipelines;
  private final ProcessorDrops drops;
  private static final Pipelines.Drops UNCOUNTED = (processor, items) -> {};

  SpanProcessing(Pipelines pipelines, MeterRegistry registry) {
    this.pipelines = pipelines;
    this.drops = new ProcessorDrops(registry, Signal.TRACES, pipelines);
  }

  /**
   * The processed value; the value as it is when there are no processors or it does not decode
   * (tail sampling dead-letters it); null when the processors removed every span.
   *
   * @param count false in the rebuild, whose records were counted when first processed
   */
  byte[] apply(byte[] value, boolean count) {
    if (pipelines.isEmpty(Signal.TRACES) || value == null) {
      return value;
    }
    ExportTraceServiceRequest.Builder request;
    try {
      request = ExportTraceServiceRequest.parseFrom(value).toBuilder();
    } catch (InvalidProtocolBufferException e) {
      return value;
    }
    pipelines.traces(request, count ? drops : UNCOUNTED);
    if (request.getResourceSpansCount() == 0) {
      return null;
    }
    return request.build().toByteArray();
  }
}
