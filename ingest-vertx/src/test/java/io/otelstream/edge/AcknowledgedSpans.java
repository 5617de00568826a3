package io.otelstream.edge;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Set;

/** Wraps an SDK exporter and remembers the trace IDs of exports the edge acknowledged. */
final class AcknowledgedSpans implements SpanExporter {
  private final SpanExporter delegate;
  private final Set<String> acknowledgedTraceIds;

  AcknowledgedSpans(SpanExporter delegate, Set<String> acknowledgedTraceIds) {
    this.delegate = delegate;
    this.acknowledgedTraceIds = acknowledgedTraceIds;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    CompletableResultCode result = delegate.export(spans);
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            spans.forEach(s -> acknowledgedTraceIds.add(s.getTraceId()));
          }
        });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
