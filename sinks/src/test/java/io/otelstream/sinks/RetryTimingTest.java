package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.sinks.http.RetryAfter;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** How long a sink waits before a retry: the backend's word first, else jittered backoff. */
class RetryTimingTest {
  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    assertThat(RetryAfter.parse("7")).isEqualTo(Duration.ofSeconds(7));
    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
    assertThat(RetryAfter.parse(inTenSeconds))
        .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("soon")).isNull();
    assertThat(RetryAfter.parse(null)).isNull();
  }

  @Test
  void theBackendsWaitIsHonouredUpToItsCap() {
    assertThat(BatchingSinkTask.backoffMs(Duration.ofSeconds(3), 5)).isEqualTo(3000);
    assertThat(BatchingSinkTask.backoffMs(Duration.ofHours(2), 0))
        .isEqualTo(BatchingSinkTask.MAX_RETRY_AFTER_MS);
  }

  @Test
  void withoutOneBackoffDoublesWithJitterUpToItsMaximum() {
    for (int attempt = 0; attempt < 20; attempt++) {
      long ceiling =
          Math.min(BatchingSinkTask.MAX_BACKOFF_MS, BatchingSinkTask.INITIAL_BACKOFF_MS << attempt);
      for (int i = 0; i < 50; i++) {
        assertThat(BatchingSinkTask.backoffMs(null, attempt)).isBetween(ceiling / 2, ceiling);
      }
    }
  }
}
