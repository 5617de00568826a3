package io.otelstream.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.otelstream.schemas.Signal;
import io.otelstream.schemas.metrics.MetricNames;
import java.time.Duration;
import java.util.function.Supplier;

/** The edge's self-metrics; names follow DESIGN.md (prefix otelstream_, bounded labels). */
final class EdgeMetrics {
  private final MeterRegistry registry;
  private final java.util.Map<String, Counter> counters =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<Signal, Timer> produceLatency =
      new java.util.concurrent.ConcurrentHashMap<>();

  EdgeMetrics(
      MeterRegistry registry, Supplier<Number> inflightBytes, Supplier<Number> inflightRequests) {
    this.registry = registry;
    Gauge.builder(MetricNames.EDGE_INFLIGHT_BYTES.name(), inflightBytes)
        .description("Request bytes awaiting Kafka acknowledgement")
        .baseUnit(MetricNames.EDGE_INFLIGHT_BYTES.unit())
        .register(registry);
    Gauge.builder(MetricNames.EDGE_INFLIGHT_REQUESTS.name(), inflightRequests)
        .description("Requests awaiting Kafka acknowledgement")
        .register(registry);
    // Every reason from the start, at 0: panels show 0, not "No data", and rate() has a series
    // to start from when the first rejection comes.
    for (Signal signal : Signal.values()) {
      for (String transport : new String[] {"grpc", "http"}) {
        for (String reason : RejectReasons.ALL) {
          rejected(signal, transport, reason);
        }
      }
    }
    connectionAgedCounter("grpc");
    connectionAgedCounter("http");
  }

  /** A client connection ended at its maximum age (GOAWAY or close after the request). */
  void connectionAged(String transport) {
    connectionAgedCounter(transport).increment();
  }

  private Counter connectionAgedCounter(String transport) {
    return Counter.builder(MetricNames.EDGE_CONNECTIONS_AGED.name())
        .description("Client connections the edge ended at their maximum age, by transport")
        .tags("transport", transport)
        .register(registry);
  }

  void requestReceived(Signal signal, String transport) {
    counter(
            MetricNames.EDGE_REQUESTS_RECEIVED.name(),
            "Export requests received",
            "signal",
            signal.key(),
            "transport",
            transport)
        .increment();
  }

  void requestRejected(Signal signal, String transport, String reason) {
    rejected(signal, transport, reason).increment();
  }

  private Counter rejected(Signal signal, String transport, String reason) {
    return counter(
        MetricNames.EDGE_REQUESTS_REJECTED.name(),
        "Export requests answered with an error, by reason",
        "signal",
        signal == null ? "unknown" : signal.key(),
        "transport",
        transport,
        "reason",
        reason);
  }

  void itemsReceived(Signal signal, long count) {
    counter(
            MetricNames.EDGE_ITEMS_RECEIVED.name(),
            "Spans, data points and log records received in decodable requests",
            "signal",
            signal.key())
        .increment(count);
  }

  void itemsAccepted(Signal signal, long count) {
    counter(
            MetricNames.EDGE_ITEMS_ACCEPTED.name(),
            "Spans, data points and log records acknowledged by Kafka",
            "signal",
            signal.key())
        .increment(count);
  }

  void itemsRejected(Signal signal, String reason, long count) {
    counter(
            MetricNames.EDGE_ITEMS_REJECTED.name(),
            "Spans, data points and log records not written, by reason",
            "signal",
            signal.key(),
            "reason",
            reason)
        .increment(count);
  }

  void produced(Signal signal, long nanos, int records) {
    produceLatency
        .computeIfAbsent(
            signal,
            sig ->
                Timer.builder(MetricNames.EDGE_PRODUCE_LATENCY.name())
                    .description(
                        "Time from the first send to Kafka's acknowledgement of a request's last"
                            + " record")
                    .tags("signal", sig.key())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry))
        .record(Duration.ofNanos(nanos));
    counter(
            MetricNames.EDGE_KAFKA_RECORDS.name(),
            "Records acknowledged by Kafka",
            "signal",
            signal.key())
        .increment(records);
  }

  /**
   * A counter built once per name and label values, then looked up: requests pay a map lookup, not
   * a meter builder and registry search. Label values are bounded (signal, transport, reason).
   */
  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(
        name + '\0' + String.join("\0", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
