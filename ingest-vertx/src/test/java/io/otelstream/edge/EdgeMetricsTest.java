package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelstream.schemas.Signal;
import org.junit.jupiter.api.Test;

class EdgeMetricsTest {
  @Test
  void everyRejectReasonIsRegisteredAtZeroFromTheStart() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new EdgeMetrics(registry, () -> 0, () -> 0);
    for (String reason : RejectReasons.ALL) {
      var counters =
          registry.find("otelstream.edge.requests.rejected").tag("reason", reason).counters();
      assertThat(counters).as(reason).hasSize(Signal.values().length * 2);
      assertThat(counters).allMatch(c -> c.count() == 0);
    }
  }

  @Test
  void aReasonOutsideTheListIsRefusedWhereItIsMade() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new EdgeError(EdgeError.Kind.UNAUTHENTICATED, "unauthenticated", "no token"))
        .hasMessageContaining("RejectReasons.ALL");
  }
}
