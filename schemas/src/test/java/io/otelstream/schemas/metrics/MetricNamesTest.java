package io.otelstream.schemas.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricNamesTest {
  /** What status and the tests read is what a component's registry serves. */
  @Test
  void everyPrometheusNameIsWhatTheRegistryServes() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (MetricName m : MetricNames.ALL) {
      switch (m.kind()) {
        case COUNTER -> Counter.builder(m.name()).register(registry);
        case GAUGE -> Gauge.builder(m.name(), () -> 1).baseUnit(m.unit()).register(registry);
        case TIMER -> Timer.builder(m.name()).register(registry);
        case SINK -> {}
      }
    }
    String scrape = registry.scrape();
    for (MetricName m : MetricNames.ALL) {
      if (m.kind() != MetricName.Kind.SINK) {
        assertThat(scrape).as(m.name()).contains("# TYPE " + m.prometheus() + " ");
      }
    }
  }

  @Test
  void namesAreUniqueAndSinkNamesKeepConnectsSpelling() {
    Set<String> seen = new HashSet<>();
    for (MetricName m : MetricNames.ALL) {
      assertThat(seen.add(m.prometheus())).as(m.prometheus()).isTrue();
    }
    assertThat(MetricNames.SINK_RECORDS_SENT_TOTAL.prometheus())
        .isEqualTo("otelstream_sink_records_sent_total");
    assertThat(MetricNames.STREAMS_IN_FLIGHT_HEAP_USED.prometheus())
        .isEqualTo("otelstream_streams_in_flight_heap_used_bytes");
  }
}
