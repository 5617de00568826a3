package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeStateTest {
  @Test
  void inflightBytesAreBoundedAndReleased() {
    EdgeState state = new EdgeState(100);
    assertThat(state.tryAcquire(60)).isTrue();
    assertThat(state.tryAcquire(50)).as("would pass the limit").isFalse();
    assertThat(state.inflightBytes()).isEqualTo(60);
    state.release(60);
    assertThat(state.tryAcquire(100)).isTrue();
  }

  @Test
  void readinessNeedsKafkaAndNoDrain() {
    EdgeState state = new EdgeState(100);
    assertThat(state.ready()).isFalse();
    state.kafkaReady(true);
    assertThat(state.ready()).isTrue();
    state.startDraining();
    assertThat(state.ready()).isFalse();
  }

  @Test
  void bearerTokensMapToTenants() {
    Authenticator auth = new Authenticator(List.of(new EdgeConfig.Token("abc", "team-a")));
    assertThat(auth.tenant("Bearer abc")).isEqualTo("team-a");
    assertThat(auth.tenant("bearer abc")).isEqualTo("team-a");
    assertThatThrownBy(() -> auth.tenant("Basic abc")).hasMessageContaining("Bearer scheme");
    assertThatThrownBy(() -> auth.tenant(null)).hasMessageContaining("missing bearer token");
    assertThat(new Authenticator(List.of()).tenant(null)).isNull();
  }
}
