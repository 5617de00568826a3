package io.otelstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
  @Test
  void shouldTurnUnhealthyWhenThreadsKeepDyingAndRecoverAfterTheWindow() {
    ThreadFailures f = new ThreadFailures();
    long t = 1_000_000;
    f.failed(t);
    f.failed(t + 1000);
    assertThat(f.healthy(t + 2000)).isTrue();
    f.failed(t + 3000);
    assertThat(f.healthy(t + 4000)).isFalse();
    assertThat(f.healthy(t + 3000 + ThreadFailures.WINDOW.toMillis())).isTrue();
  }
}
