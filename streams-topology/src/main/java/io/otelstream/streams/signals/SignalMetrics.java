package io.otelstream.streams.signals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.schemas.Signal;
import io.otelstream.schemas.metrics.MetricNames;

/** Counters of the metric and log processors: every dropped item is counted with its signal. */
public final class SignalMetrics {
  private final MeterRegistry registry;

  public SignalMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  void items(Signal signal, long kept, long dropped) {
    count(
        MetricNames.STREAMS_ITEMS.name(),
        "Data points and log records processed, by outcome",
        signal,
        "kept",
        kept);
    count(
        MetricNames.STREAMS_ITEMS.name(),
        "Data points and log records processed, by outcome",
        signal,
        "dropped",
        dropped);
  }

  void deadLettered(Signal signal, String reason) {
    Counter.builder(MetricNames.STREAMS_DEADLETTER_RECORDS.name())
        .description("Records sent to the dead-letter topic, by source topic and reason")
        .tags("topic", signal.key(), "reason", reason)
        .register(registry)
        .increment();
  }

  private void count(String name, String description, Signal signal, String outcome, long n) {
    if (n > 0) {
      Counter.builder(name)
          .description(description)
          .tags("signal", signal.key(), "outcome", outcome)
          .register(registry)
          .increment(n);
    }
  }
}
