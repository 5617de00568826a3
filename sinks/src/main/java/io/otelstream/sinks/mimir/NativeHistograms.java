package io.otelstream.sinks.mimir;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.otelstream.schemas.prometheus.BucketSpan;
import io.otelstream.schemas.prometheus.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP exponential histogram points as Prometheus native histograms, as the Collector's
 * remote-write translator converts them: the scale is the schema (scales above 8 are merged down to
 * 8, below -4 cannot be written); OTLP bucket i, (base^i, base^(i+1)], is Prometheus bucket i+1;
 * runs of more than two empty buckets start a new span, shorter ones are written as zeros; the zero
 * threshold is the Collector's constant.
 */
final class NativeHistograms {
  static final double ZERO_THRESHOLD = 1e-128;

  private NativeHistograms() {}

  /** The native histogram, or null when the scale is below -4 (Prometheus' smallest schema). */
  static Histogram of(ExponentialHistogramDataPoint p, boolean stale, double staleNan) {
    int scale = p.getScale();
    if (scale < -4) {
      return null;
    }
    int scaleDown = 0;
    if (scale > 8) {
      scaleDown = scale - 8;
      scale = 8;
    }
    Histogram.Builder h =
        Histogram.newBuilder()
            .setSchema(scale)
            .setZeroCountInt(p.getZeroCount())
            .setZeroThreshold(ZERO_THRESHOLD)
            .setTimestamp(p.getTimeUnixNano() / 1_000_000L);
    layout(p.getPositive(), scaleDown, h::addPositiveSpans, h::addPositiveDeltas);
    layout(p.getNegative(), scaleDown, h::addNegativeSpans, h::addNegativeDeltas);
    if (stale) {
      h.setSum(staleNan).setCountInt(Double.doubleToRawLongBits(staleNan));
    } else {
      if (p.hasSum()) {
        h.setSum(p.getSum());
      }
      h.setCountInt(p.getCount());
    }
    return h.build();
  }

  private static void layout(
      ExponentialHistogramDataPoint.Buckets buckets,
      int scaleDown,
      java.util.function.Consumer<BucketSpan> addSpan,
      java.util.function.LongConsumer addDelta) {
    int n = buckets.getBucketCountsCount();
    if (n == 0) {
      return;
    }
    List<int[]> spans = new ArrayList<>(); // {offset, length}
    List<Long> deltas = new ArrayList<>();
    long[] previous = {0};
    int offset = buckets.getOffset();
    int index = (offset >> scaleDown) + 1;
    spans.add(new int[] {index, 0});
    long count = 0;
    for (int i = 0; i < n; i++) {
      int next = ((i + offset) >> scaleDown) + 1;
      if (index == next) {
        count += buckets.getBucketCounts(i);
        continue;
      }
      if (count == 0) {
        count = buckets.getBucketCounts(i);
        continue;
      }
      gap(spans, deltas, previous, next - index - 1);
      append(spans, deltas, previous, count);
      count = buckets.getBucketCounts(i);
      index = next;
    }
    gap(spans, deltas, previous, ((n + offset - 1) >> scaleDown) + 1 - index);
    append(spans, deltas, previous, count);
    for (int[] s : spans) {
      addSpan.accept(BucketSpan.newBuilder().setOffset(s[0]).setLength(s[1]).build());
    }
    deltas.forEach(addDelta::accept);
  }

  /** A gap of more than two empty buckets starts a new span; a shorter one is written as zeros. */
  private static void gap(List<int[]> spans, List<Long> deltas, long[] previous, int gap) {
    if (gap > 2) {
      spans.add(new int[] {gap, 0});
    } else {
      for (int j = 0; j < gap; j++) {
        append(spans, deltas, previous, 0);
      }
    }
  }

  private static void append(List<int[]> spans, List<Long> deltas, long[] previous, long count) {
    spans.get(spans.size() - 1)[1]++;
    deltas.add(count - previous[0]);
    previous[0] = count;
  }

  /**
   * The point as classic cumulative buckets, for backends without native histograms: one bucket per
   * populated exponential bucket (its upper bound as {@code le}), negative buckets first, the zero
   * bucket at the zero threshold, then {@code +Inf} with the count. Returns {le, cumulative} pairs
   * in ascending order of le.
   */
  static List<double[]> explicitBuckets(ExponentialHistogramDataPoint p) {
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    List<double[]> out = new ArrayList<>();
    long cumulative = 0;
    ExponentialHistogramDataPoint.Buckets neg = p.getNegative();
    for (int i = neg.getBucketCountsCount() - 1; i >= 0; i--) {
      long c = neg.getBucketCounts(i);
      if (c > 0) {
        cumulative += c;
        out.add(new double[] {-Math.pow(base, neg.getOffset() + i), cumulative});
      }
    }
    if (p.getZeroCount() > 0) {
      cumulative += p.getZeroCount();
      out.add(new double[] {p.getZeroThreshold(), cumulative});
    }
    ExponentialHistogramDataPoint.Buckets pos = p.getPositive();
    for (int i = 0; i < pos.getBucketCountsCount(); i++) {
      long c = pos.getBucketCounts(i);
      if (c > 0) {
        cumulative += c;
        out.add(new double[] {Math.pow(base, pos.getOffset() + i + 1), cumulative});
      }
    }
    out.add(new double[] {Double.POSITIVE_INFINITY, p.getCount()});
    return out;
  }
}
