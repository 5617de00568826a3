package io.otelstream.streams.traces;

import io.otelstream.schemas.Headers;
import io.otelstream.schemas.RecordKeys;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes kept spans to otlp-traces-sampled: a decided trace as one record (or a few, each within
 * the record limit), and late spans of a kept trace as they come, both with the tenant header and,
 * when enabled, the tailsampling.policy attribute. Spans that no record can hold are counted.
 */
final class SampledEmitter {
  private final ProcessorContext<byte[], byte[]> context;
  private final SamplingSettings settings;
  private final SamplingMetrics metrics;
  private final String sink;

  SampledEmitter(
      ProcessorContext<byte[], byte[]> context,
      SamplingSettings settings,
      SamplingMetrics metrics,
      String sink) {
    this.context = context;
    this.sink = sink;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The kept trace's fragments, in input order, with the record time of its first span. */
  void kept(byte[] traceId, List<byte[]> fragments, String policy, long timeMs, String tenant) {
    if (sink == null) {
      return;
    }
    String attribute = settings.policyAttribute() ? policy : null;
    SampledOutput.Records out =
        SampledOutput.records(fragments, settings.maxRecordBytes(), attribute);
    if (out.droppedSpans() > 0) {
      metrics.spansDropped("span_too_large", out.droppedSpans());
    }
    byte[] key = RecordKeys.traceKey(traceId);
    for (byte[] value : out.values()) {
      context.forward(new Record<>(key, value, timeMs, tenantHeaders(tenant)), sink);
    }
  }

  /** A late record of a kept trace. */
  void late(byte[] traceId, byte[] value, String policy, long timeMs, String tenant) {
    kept(traceId, List.of(value), policy, timeMs, tenant);
  }

  private static org.apache.kafka.common.header.Headers tenantHeaders(String tenant) {
    return Headers.withTenant(tenant);
  }
}
