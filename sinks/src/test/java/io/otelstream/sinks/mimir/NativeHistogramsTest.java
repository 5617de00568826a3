package io.otelstream.sinks.mimir;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.otelstream.schemas.prometheus.BucketSpan;
import io.otelstream.schemas.prometheus.Histogram;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exponential histogram points as native histograms and as classic buckets. */
class NativeHistogramsTest {
  private static ExponentialHistogramDataPoint point(int scale, int offset, List<Long> counts) {
    long count = counts.stream().mapToLong(Long::longValue).sum();
    return ExponentialHistogramDataPoint.newBuilder()
        .setScale(scale)
        .setCount(count + 1 + 1)
        .setSum(12)
        .setZeroCount(1)
        .setZeroThreshold(0.001)
        .setPositive(
            ExponentialHistogramDataPoint.Buckets.newBuilder()
                .setOffset(offset)
                .addAllBucketCounts(counts))
        .setNegative(
            ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0).addBucketCounts(1))
        .setTimeUnixNano(5_000_000L)
        .build();
  }

  private static BucketSpan span(int offset, int length) {
    return BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
  }

  @Test
  void bucketsShiftByOneLongGapsStartSpansShortOnesAreZeros() {
    Histogram h =
        NativeHistograms.of(point(3, -2, List.of(1L, 0L, 0L, 0L, 2L, 3L, 0L, 1L)), false, 0);
    assertThat(h.getSchema()).isEqualTo(3);
    assertThat(h.getPositiveSpansList()).containsExactly(span(-1, 1), span(3, 4));
    assertThat(h.getPositiveDeltasList()).containsExactly(1L, 1L, 1L, -3L, 1L);
    assertThat(h.getNegativeSpansList()).containsExactly(span(1, 1));
    assertThat(h.getNegativeDeltasList()).containsExactly(1L);
    assertThat(h.getZeroCountInt()).isEqualTo(1);
    assertThat(h.getZeroThreshold()).isEqualTo(NativeHistograms.ZERO_THRESHOLD);
    assertThat(h.getCountInt()).isEqualTo(9);
    assertThat(h.getSum()).isEqualTo(12);
    assertThat(h.getTimestamp()).isEqualTo(5);
  }

  @Test
  void scalesAboveEightMergeBucketsAndBelowMinusFourCannotBeWritten() {
    // scale 10 to 8: four buckets become one: OTLP -5 alone (index -1), -4..-1 (index 0: 4), 0..2
    // (1)
    Histogram h =
        NativeHistograms.of(point(10, -5, List.of(1L, 1L, 1L, 1L, 1L, 0L, 0L, 1L)), false, 0);
    assertThat(h.getSchema()).isEqualTo(8);
    assertThat(h.getPositiveSpansList()).containsExactly(span(-1, 3));
    assertThat(h.getPositiveDeltasList()).containsExactly(1L, 3L, -3L);
    assertThat(NativeHistograms.of(point(-5, 0, List.of(1L)), false, 0)).isNull();
  }

  @Test
  void classicBucketsAscendFromTheNegativeBucketsThroughZero() {
    List<double[]> buckets = NativeHistograms.explicitBuckets(point(0, 1, List.of(2L, 0L, 3L)));
    // scale 0: base 2; negative bucket 0 is [-2, -1), so le -1; zero bucket at its threshold;
    // positive buckets 1 and 3 end at 4 and 16
    assertThat(buckets)
        .extracting(b -> b[0] + "=" + (long) b[1])
        .containsExactly("-1.0=1", "0.001=2", "4.0=4", "16.0=7", "Infinity=7");
  }
}
