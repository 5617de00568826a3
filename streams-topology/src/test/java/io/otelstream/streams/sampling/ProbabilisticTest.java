package io.otelstream.streams.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * FNV-1a 64 against the published test vectors of the FNV reference (Fowler, Noll, Vo), computed
 * outside this code base, and the threshold rule of DESIGN.md.
 */
class ProbabilisticTest {
  private static long fnv(String s) {
    return Policies.Probabilistic.fnv1a64(new byte[0], s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void fnv1a64ReferenceVectors() {
    assertThat(fnv("")).isEqualTo(0xcbf29ce484222325L);
    assertThat(fnv("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(fnv("foobar")).isEqualTo(0x85944171f73967e8L);
  }

  @Test
  void saltBytesComeBeforeTheTraceId() {
    byte[] salt = "foo".getBytes(StandardCharsets.US_ASCII);
    byte[] rest = "bar".getBytes(StandardCharsets.US_ASCII);
    assertThat(Policies.Probabilistic.fnv1a64(salt, rest)).isEqualTo(0x85944171f73967e8L);
  }

  @Test
  void thresholdIsFloorOfMaxTimesPercentage() {
    assertThat(Policies.Probabilistic.threshold(0)).isZero();
    assertThat(Policies.Probabilistic.threshold(50)).isEqualTo(0x7fffffffffffffffL);
    assertThat(Policies.Probabilistic.threshold(100)).isEqualTo(0xffffffffffffffffL);
    assertThat(Policies.Probabilistic.threshold(25)).isEqualTo(0x3fffffffffffffffL);
  }

  @Test
  void decisionFollowsTheHashAndTheSalt() {
    byte[] id = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");
    long hash =
        Policies.Probabilistic.fnv1a64("default-hash-seed".getBytes(StandardCharsets.UTF_8), id);
    TraceData trace =
        Traces.trace("5b8efff798038103d269b633813fc60c").span(Traces.span(0, 1)).build();
    // The smallest percentage whose threshold reaches this hash samples it; just below does not.
    double exact =
        new java.math.BigDecimal(Long.toUnsignedString(hash))
            .multiply(java.math.BigDecimal.valueOf(100))
            .divide(
                new java.math.BigDecimal("18446744073709551615"),
                12,
                java.math.RoundingMode.CEILING)
            .doubleValue();
    assertThat(
            new Policies.Probabilistic("p", "default-hash-seed", Math.min(100, exact + 1e-9))
                .evaluate(trace, 0))
        .isEqualTo(Decision.SAMPLED);
    assertThat(
            new Policies.Probabilistic("p", "default-hash-seed", Math.max(0, exact - 1e-6))
                .evaluate(trace, 0))
        .isEqualTo(Decision.NOT_SAMPLED);
  }
}
