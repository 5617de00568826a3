package io.otelstream.streams.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointMathTest {
  private static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;

  static Metric counter(long start, long value) {
    return Metric.newBuilder()
        .setName("c")
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(CUMULATIVE)
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .setStartTimeUnixNano(start)
                        .setTimeUnixNano(start + 1)
                        .setAsInt(value)))
        .build();
  }

  static Metric histogram(long start, List<Long> buckets, double sum) {
    return Metric.newBuilder()
        .setName("h")
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(CUMULATIVE)
                .addDataPoints(
                    HistogramDataPoint.newBuilder()
                        .setStartTimeUnixNano(start)
                        .addAllExplicitBounds(List.of(0.1, 1.0))
                        .addAllBucketCounts(buckets)
                        .setCount(buckets.stream().mapToLong(Long::longValue).sum())
                        .setSum(sum)))
        .build();
  }

  static Metric exp(int scale, int offset, List<Long> counts) {
    return Metric.newBuilder()
        .setName("e")
        .setExponentialHistogram(
            ExponentialHistogram.newBuilder()
                .setAggregationTemporality(CUMULATIVE)
                .addDataPoints(
                    ExponentialHistogramDataPoint.newBuilder()
                        .setStartTimeUnixNano(1)
                        .setScale(scale)
                        .setCount(counts.stream().mapToLong(Long::longValue).sum())
                        .setPositive(
                            ExponentialHistogramDataPoint.Buckets.newBuilder()
                                .setOffset(offset)
                                .addAllBucketCounts(counts))))
        .build();
  }

  @Test
  void counterIncrementsAndResets() {
    assertThat(PointMath.increment(null, counter(1, 5)).point()).isEqualTo(counter(1, 5));
    PointMath.Increment grew = PointMath.increment(counter(1, 5), counter(1, 8));
    assertThat(grew.reset()).isFalse();
    assertThat(grew.point().getSum().getDataPoints(0).getAsInt()).isEqualTo(3);
    // A new start time: the sender restarted, all of its new value is new.
    PointMath.Increment restarted = PointMath.increment(counter(1, 8), counter(2, 2));
    assertThat(restarted.reset()).isTrue();
    assertThat(restarted.point().getSum().getDataPoints(0).getAsInt()).isEqualTo(2);
    // No start time but a lower value: also a reset.
    assertThat(PointMath.increment(counter(0, 8), counter(0, 3)).reset()).isTrue();
  }

  @Test
  void histogramsAddBucketByBucketOnlyWithEqualBounds() {
    Metric inc =
        PointMath.increment(
                histogram(1, List.of(1L, 2L, 3L), 4.0), histogram(1, List.of(2L, 4L, 3L), 5.5))
            .point();
    assertThat(inc.getHistogram().getDataPoints(0).getBucketCountsList())
        .containsExactly(1L, 2L, 0L);
    assertThat(inc.getHistogram().getDataPoints(0).getCount()).isEqualTo(3);
    assertThat(inc.getHistogram().getDataPoints(0).getSum()).isEqualTo(1.5);
    Metric total = PointMath.add(histogram(1, List.of(1L, 1L, 1L), 1.0), inc);
    assertThat(total.getHistogram().getDataPoints(0).getBucketCountsList())
        .containsExactly(2L, 3L, 1L);
    assertThat(total.getHistogram().getDataPoints(0).getCount()).isEqualTo(6);
    Metric otherBounds =
        histogram(1, List.of(1L, 1L, 1L), 1.0).toBuilder()
            .setHistogram(
                histogram(1, List.of(1L, 1L, 1L), 1.0).getHistogram().toBuilder()
                    .setDataPoints(
                        0,
                        histogram(1, List.of(1L, 1L, 1L), 1.0)
                            .getHistogram()
                            .getDataPoints(0)
                            .toBuilder()
                            .setExplicitBounds(1, 2.0)))
            .build();
    assertThat(PointMath.add(total, otherBounds)).isNull();
  }

  @Test
  void exponentialHistogramsMergeAtTheCoarserScale() {
    // Scale 1 buckets 0..3 become scale 0 buckets 0 (0+1) and 1 (2+3).
    Metric total = PointMath.add(exp(1, 0, List.of(1L, 2L, 3L, 4L)), exp(0, 1, List.of(10L)));
    ExponentialHistogramDataPoint p = total.getExponentialHistogram().getDataPoints(0);
    assertThat(p.getScale()).isZero();
    assertThat(p.getPositive().getOffset()).isZero();
    assertThat(p.getPositive().getBucketCountsList()).containsExactly(3L, 17L);
    assertThat(p.getCount()).isEqualTo(20);
    // Negative indexes downscale by floor division: -1 and -2 at scale 1 are -1 at scale 0.
    Metric neg = PointMath.add(exp(1, -2, List.of(1L, 1L)), exp(0, 0, List.of()));
    assertThat(neg.getExponentialHistogram().getDataPoints(0).getPositive().getOffset())
        .isEqualTo(-1);
    assertThat(neg.getExponentialHistogram().getDataPoints(0).getPositive().getBucketCountsList())
        .containsExactly(2L);
    // A cumulative source that downscaled between two points: the increment is at its new scale.
    Metric inc = PointMath.increment(exp(1, 0, List.of(1L, 1L)), exp(0, 0, List.of(5L))).point();
    assertThat(inc.getExponentialHistogram().getDataPoints(0).getPositive().getBucketCountsList())
        .containsExactly(3L);
  }

  @Test
  void malformedPointsAreNamedBeforeTheyTouchState() {
    assertThat(PointMath.problem(counter(1, 5))).isNull();
    assertThat(PointMath.problem(histogram(1, List.of(1L, 2L), 1.0)))
        .isEqualTo("histogram_malformed");
    assertThat(PointMath.problem(exp(21, 0, List.of(1L))))
        .isEqualTo("exponential_histogram_malformed");
    assertThat(PointMath.problem(exp(0, 1 << 30, List.of(1L))))
        .isEqualTo("exponential_histogram_malformed");
    assertThat(PointMath.problem(gauge(1, Double.NaN))).isEqualTo("non_finite_value");
  }

  @Test
  void mergedExponentialBucketsStayWithinTheBucketLimit() {
    // Buckets a million indexes apart at scale 0: downscaled until both fit in 2048 buckets.
    Metric total = PointMath.add(exp(0, 0, List.of(1L)), exp(0, 1_000_000, List.of(1L)));
    ExponentialHistogramDataPoint p = total.getExponentialHistogram().getDataPoints(0);
    assertThat(p.getPositive().getBucketCountsCount()).isLessThanOrEqualTo(2048);
    assertThat(p.getScale()).isLessThan(0);
    assertThat(p.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(2);
  }

  @Test
  void summariesKeepCountAndSumAndDropQuantiles() {
    Metric s =
        Metric.newBuilder()
            .setName("s")
            .setSummary(
                Summary.newBuilder()
                    .addDataPoints(
                        SummaryDataPoint.newBuilder()
                            .setCount(4)
                            .setSum(2.0)
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0.5)
                                    .setValue(0.4))))
            .build();
    Metric total = PointMath.add(PointMath.zeroQuantiles(s), s);
    assertThat(total.getSummary().getDataPoints(0).getCount()).isEqualTo(8);
    assertThat(total.getSummary().getDataPoints(0).getSum()).isEqualTo(4.0);
    assertThat(total.getSummary().getDataPoints(0).getQuantileValuesCount()).isZero();
  }

  @Test
  void gaugeFunctions() {
    Metric a = gauge(10, 3.0);
    Metric b = gauge(20, 1.0);
    Metric c = gauge(15, 7.0);
    assertThat(PointMath.numberValue(GaugeFunction.LAST.combine(List.of(a, b, c)))).isEqualTo(1.0);
    assertThat(PointMath.numberValue(GaugeFunction.SUM.combine(List.of(a, b, c)))).isEqualTo(11.0);
    assertThat(PointMath.numberValue(GaugeFunction.MIN.combine(List.of(a, b, c)))).isEqualTo(1.0);
    assertThat(PointMath.numberValue(GaugeFunction.MAX.combine(List.of(c, b, a)))).isEqualTo(7.0);
  }

  private static Metric gauge(long time, double v) {
    return Metric.newBuilder()
        .setName("g")
        .setGauge(
            io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time).setAsDouble(v)))
        .build();
  }
}
