package io.otelstream.sinks.tempo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.GrpcTraceReceiverAccess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Tempo gRPC client against a receiver answering RESOURCE_EXHAUSTED, with and without
 * RetryInfo.
 */
class GrpcRetryClassificationTest {
  @Test
  void resourceExhaustedIsRetriableExactlyWhenRetryInfoCame() throws Exception {
    try (var receiver = GrpcTraceReceiverAccess.start()) {
      TempoSinkSettings settings =
          new TempoSinkSettings(
              Map.of(
                  "backend.url",
                  receiver.url(),
                  "otlp.signal",
                  "traces",
                  "backend.compression",
                  "none"));
      try (GrpcTraceBackend backend = new GrpcTraceBackend(settings)) {
        receiver.throttle(1, Duration.ofSeconds(2));
        BackendException e =
            catchThrowableOfType(BackendException.class, () -> backend.export(new byte[0], null));
        assertThat(e.retriable()).as(e.getMessage()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));

        receiver.exhaustWithoutRetryInfo(1);
        e = catchThrowableOfType(BackendException.class, () -> backend.export(new byte[0], null));
        assertThat(e.retriable()).as(e.getMessage()).isFalse();
      }
    }
  }
}
