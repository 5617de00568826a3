package io.otelstream.streams.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code otelstream_streams_processor_dropped_items_total{signal, processor}}: spans, data points
 * and log records a filter processor removed, registered at 0 for every filter in the signal's
 * pipeline so an alert can tell "none" from "not reported".
 */
public final class ProcessorDrops implements Pipelines.Drops {
  private final MeterRegistry registry;
  private final Signal signal;

  public ProcessorDrops(MeterRegistry registry, Signal signal, Pipelines pipelines) {
    this.registry = registry;
    this.signal = signal;
    pipelines.filters(signal).forEach(name -> counter(name));
  }

  private Counter counter(String processor) {
    return Counter.builder("otelstream.streams.processor.dropped.items")
        .description("Items removed by a filter processor, by signal and processor")
        .tags("signal", signal.key(), "processor", processor)
        .register(registry);
  }

  @Override
  public void removed(String processor, long items) {
    counter(processor).increment(items);
  }
}
