package io.otelstream.streams.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.schemas.Signal;
import io.otelstream.schemas.metrics.MetricNames;

/**
 * {@code otelstream_streams_processor_dropped_items_total{signal, processor}}: spans, data points
 * and log records a filter processor removed; {@code
 * otelstream_streams_processor_redacted_values_total{signal, processor, reason}}: attribute values
 * and log bodies a redaction processor removed ({@code key_not_allowed}) or masked ({@code
 * blocked_key}, {@code blocked_value}). Registered at 0 for every such processor in the signal's
 * pipeline so an alert can tell "none" from "not reported".
 */
public final class ProcessorDrops implements Pipelines.Drops {
  private final MeterRegistry registry;
  private final Signal signal;

  public ProcessorDrops(MeterRegistry registry, Signal signal, Pipelines pipelines) {
    this.registry = registry;
    this.signal = signal;
    pipelines.filters(signal).forEach(this::dropped);
    for (String redaction : pipelines.redactions(signal)) {
      for (String reason :
          new String[] {
            RedactionStage.KEY_NOT_ALLOWED, RedactionStage.BLOCKED_KEY, RedactionStage.BLOCKED_VALUE
          }) {
        redactedCounter(redaction, reason);
      }
    }
  }

  private Counter dropped(String processor) {
    return Counter.builder(MetricNames.STREAMS_PROCESSOR_DROPPED_ITEMS.name())
        .description("Items removed by a filter processor, by signal and processor")
        .tags("signal", signal.key(), "processor", processor)
        .register(registry);
  }

  private Counter redactedCounter(String processor, String reason) {
    return Counter.builder(MetricNames.STREAMS_PROCESSOR_REDACTED_VALUES.name())
        .description("Values a redaction processor removed or masked, by signal, processor, reason")
        .tags("signal", signal.key(), "processor", processor, "reason", reason)
        .register(registry);
  }

  @Override
  public void removed(String processor, long items) {
    dropped(processor).increment(items);
  }

  @Override
  public void redacted(String processor, String reason, long values) {
    redactedCounter(processor, reason).increment(values);
  }
}
