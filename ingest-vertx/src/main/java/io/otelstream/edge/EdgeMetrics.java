package io.otelstream.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** The edge's self-metrics; names follow DESIGN.md (prefix otelstream_, bounded labels). */
final class EdgeMetrics {
  private final MeterRegistry registry;

  EdgeMetrics(
      MeterRegistry registry, Supplier<Number> inflightBytes, Supplier<Number> inflightRequests) {
    this.registry = registry;
    Gauge.builder("otelstream.edge.inflight.bytes", inflightBytes)
        .description("Request bytes awaiting Kafka acknowledgement")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("otelstream.edge.inflight.requests", inflightRequests)
        .description("Requests awaiting Kafka acknowledgement")
        .register(registry);
  }

  void requestReceived(Signal signal, String transport) {
    Counter.builder("otelstream.edge.requests.received")
        .description("Export requests received")
        .tags("signal", signal.label(), "transport", transport)
        .register(registry)
        .increment();
  }

  void requestRejected(Signal signal, String transport, String reason) {
    Counter.builder("otelstream.edge.requests.rejected")
        .description("Export requests answered with an error, by reason")
        .tags(
            "signal",
            signal == null ? "unknown" : signal.label(),
            "transport",
            transport,
            "reason",
            reason)
        .register(registry)
        .increment();
  }

  void itemsReceived(Signal signal, long count) {
    Counter.builder("otelstream.edge.items.received")
        .description("Spans, data points and log records received in decodable requests")
        .tags("signal", signal.label())
        .register(registry)
        .increment(count);
  }

  void itemsAccepted(Signal signal, long count) {
    Counter.builder("otelstream.edge.items.accepted")
        .description("Spans, data points and log records acknowledged by Kafka")
        .tags("signal", signal.label())
        .register(registry)
        .increment(count);
  }

  void itemsRejected(Signal signal, String reason, long count) {
    Counter.builder("otelstream.edge.items.rejected")
        .description("Spans, data points and log records not written, by reason")
        .tags("signal", signal.label(), "reason", reason)
        .register(registry)
        .increment(count);
  }

  void produced(Signal signal, long nanos, int records) {
    Timer.builder("otelstream.edge.produce.latency")
        .description(
            "Time from the first send to Kafka's acknowledgement of a request's last record")
        .tags("signal", signal.label())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(Duration.ofNanos(nanos));
    Counter.builder("otelstream.edge.kafka.records")
        .description("Records acknowledged by Kafka")
        .tags("signal", signal.label())
        .register(registry)
        .increment(records);
  }
}
