package io.otelstream.sinks.tempo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RetryInfosTest {
  private static String details(Status s, boolean padded) {
    Base64.Encoder e = padded ? Base64.getEncoder() : Base64.getEncoder().withoutPadding();
    return e.encodeToString(s.toByteArray());
  }

  @Test
  void readsTheRetryDelayFromTheStatusDetails() {
    Status s =
        Status.newBuilder()
            .setCode(8)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder().setSeconds(2).setNanos(5))
                        .build()))
            .build();
    assertThat(RetryInfos.delay(details(s, true))).isEqualTo(Duration.ofSeconds(2, 5));
    assertThat(RetryInfos.delay(details(s, false))).isEqualTo(Duration.ofSeconds(2, 5));
  }

  @Test
  void noRetryInfoMeansNoDelay() {
    assertThat(RetryInfos.delay(details(Status.newBuilder().setCode(8).build(), true))).isNull();
    assertThat(RetryInfos.delay(null)).isNull();
    assertThat(RetryInfos.delay("%%%")).isNull();
  }
}
