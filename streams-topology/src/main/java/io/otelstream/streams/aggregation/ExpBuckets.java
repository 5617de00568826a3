package io.otelstream.streams.aggregation;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;

/**
 * One range of exponential-histogram buckets (an offset and dense counts) with the data model's
 * operations: downscaling merges each 2^n adjacent buckets into one (index i becomes i >> n, a
 * floor division that holds for negative indexes too), and aligned addition and subtraction.
 */
final class ExpBuckets {
  /** Most buckets an aggregate keeps per sign; beyond it, merging downscales further. */
  static final int MAX_BUCKETS = 2048;

  /** Largest bucket index offset accepted from a sender. */
  static final long MAX_OFFSET = 1L << 20;

  private final int offset;
  private final long[] counts;

  private ExpBuckets(int offset, long[] counts) {
    this.offset = offset;
    this.counts = counts;
  }

  static ExpBuckets of(ExponentialHistogramDataPoint.Buckets b) {
    long[] c = new long[b.getBucketCountsCount()];
    for (int i = 0; i < c.length; i++) {
      c[i] = b.getBucketCounts(i);
    }
    return new ExpBuckets(b.getOffset(), c);
  }

  /**
   * The largest scale, at most {@code scale}, at which both points' buckets of each sign fit in
   * {@link #MAX_BUCKETS} (the data model's merge: downscale until the range fits).
   */
  static int fittingScale(
      int scale,
      int scaleA,
      int scaleB,
      io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets posA,
      io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets posB,
      io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets negA,
      io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets negB) {
    while (scale > PointMath.MIN_SCALE
        && (span(posA, scaleA - scale, posB, scaleB - scale) > MAX_BUCKETS
            || span(negA, scaleA - scale, negB, scaleB - scale) > MAX_BUCKETS)) {
      scale--;
    }
    return scale;
  }

  private static long span(
      io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets a,
      int byA,
      io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets b,
      int byB) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    if (a.getBucketCountsCount() > 0) {
      lo = Math.min(lo, (long) a.getOffset() >> byA);
      hi = Math.max(hi, (long) (a.getOffset() + a.getBucketCountsCount() - 1) >> byA);
    }
    if (b.getBucketCountsCount() > 0) {
      lo = Math.min(lo, (long) b.getOffset() >> byB);
      hi = Math.max(hi, (long) (b.getOffset() + b.getBucketCountsCount() - 1) >> byB);
    }
    return hi < lo ? 0 : hi - lo + 1;
  }

  ExpBuckets downscale(int by) {
    if (by == 0 || counts.length == 0) {
      return this;
    }
    int first = offset >> by;
    int last = (offset + counts.length - 1) >> by;
    long[] out = new long[last - first + 1];
    for (int i = 0; i < counts.length; i++) {
      out[((offset + i) >> by) - first] += counts[i];
    }
    return new ExpBuckets(first, out);
  }

  ExpBuckets plus(ExpBuckets other) {
    return combine(other, 1);
  }

  /** this − other, or null when a bucket would fall below zero (not a continuation). */
  ExpBuckets minus(ExpBuckets other) {
    ExpBuckets d = combine(other, -1);
    for (long c : d.counts) {
      if (c < 0) {
        return null;
      }
    }
    return d;
  }

  private ExpBuckets combine(ExpBuckets other, int sign) {
    if (other.counts.length == 0) {
      return this;
    }
    if (counts.length == 0 && sign > 0) {
      return other;
    }
    int first = counts.length == 0 ? other.offset : Math.min(offset, other.offset);
    int end =
        counts.length == 0
            ? other.offset + other.counts.length
            : Math.max(offset + counts.length, other.offset + other.counts.length);
    long[] out = new long[end - first];
    for (int i = 0; i < counts.length; i++) {
      out[offset + i - first] += counts[i];
    }
    for (int i = 0; i < other.counts.length; i++) {
      out[other.offset + i - first] += sign * other.counts[i];
    }
    return new ExpBuckets(first, out).trimmed();
  }

  /** Without leading and trailing empty buckets. */
  private ExpBuckets trimmed() {
    int lo = 0;
    int hi = counts.length;
    while (lo < hi && counts[lo] == 0) {
      lo++;
    }
    while (hi > lo && counts[hi - 1] == 0) {
      hi--;
    }
    if (lo == 0 && hi == counts.length) {
      return this;
    }
    return new ExpBuckets(lo == hi ? 0 : offset + lo, java.util.Arrays.copyOfRange(counts, lo, hi));
  }

  ExponentialHistogramDataPoint.Buckets toProto() {
    ExponentialHistogramDataPoint.Buckets.Builder b =
        ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset);
    for (long c : counts) {
      b.addBucketCounts(c);
    }
    return b.build();
  }
}
