package io.otelstream.streams.aggregation;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;

/**
 * Arithmetic on metrics that hold exactly one data point ("single-point metrics"): the increment of
 * a cumulative point over its predecessor, the sum of two points, and the helpers around them. The
 * OTel data model's merge rules: sums add, explicit-bucket histograms add bucket by bucket when
 * their bounds are equal, exponential histograms add after downscaling to the coarser scale,
 * summaries add count and sum (their quantiles cannot be merged).
 */
public final class PointMath {
  private PointMath() {}

  /** How points of a series combine across sources. */
  public enum Kind {
    /** Monotonic sums, delta sums, histograms, summaries: increments add up over time. */
    ADDED,
    /** Gauges and non-monotonic cumulative sums: a current value per source, combined. */
    CURRENT
  }

  /** An increment and whether the source had reset (restarted or went down) to produce it. */
  public record Increment(Metric point, boolean reset) {}

  public static Kind kind(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> Kind.CURRENT;
      case SUM -> m.getSum().getIsMonotonic() || isDelta(m) ? Kind.ADDED : Kind.CURRENT;
      default -> Kind.ADDED;
    };
  }

  public static boolean isDelta(Metric m) {
    AggregationTemporality t =
        switch (m.getDataCase()) {
          case SUM -> m.getSum().getAggregationTemporality();
          case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
          case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality();
          default -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        };
    return t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
  }

  /**
   * The metric as single-point metrics, one per data point: its descriptor is copied once without
   * points, then each point added to a copy of it.
   */
  public static List<Metric> singles(Metric m) {
    int n = io.otelstream.streams.signals.DataPoints.count(m);
    if (n == 1) {
      return List.of(m);
    }
    Metric.Builder template = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE -> template.getGaugeBuilder().clearDataPoints();
      case SUM -> template.getSumBuilder().clearDataPoints();
      case HISTOGRAM -> template.getHistogramBuilder().clearDataPoints();
      case EXPONENTIAL_HISTOGRAM -> template.getExponentialHistogramBuilder().clearDataPoints();
      case SUMMARY -> template.getSummaryBuilder().clearDataPoints();
      case DATA_NOT_SET -> {
        return List.of();
      }
    }
    Metric empty = template.build();
    List<Metric> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Metric.Builder b = empty.toBuilder();
      switch (m.getDataCase()) {
        case GAUGE -> b.getGaugeBuilder().addDataPoints(m.getGauge().getDataPoints(i));
        case SUM -> b.getSumBuilder().addDataPoints(m.getSum().getDataPoints(i));
        case HISTOGRAM -> b.getHistogramBuilder().addDataPoints(m.getHistogram().getDataPoints(i));
        case EXPONENTIAL_HISTOGRAM ->
            b.getExponentialHistogramBuilder()
                .addDataPoints(m.getExponentialHistogram().getDataPoints(i));
        case SUMMARY -> b.getSummaryBuilder().addDataPoints(m.getSummary().getDataPoints(i));
        default -> {}
      }
      out.add(b.build());
    }
    return out;
  }

  public static List<KeyValue> attributes(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPoints(0).getAttributesList();
      case SUM -> m.getSum().getDataPoints(0).getAttributesList();
      case HISTOGRAM -> m.getHistogram().getDataPoints(0).getAttributesList();
      case EXPONENTIAL_HISTOGRAM ->
          m.getExponentialHistogram().getDataPoints(0).getAttributesList();
      case SUMMARY -> m.getSummary().getDataPoints(0).getAttributesList();
      case DATA_NOT_SET -> List.of();
    };
  }

  public static long startTime(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPoints(0).getStartTimeUnixNano();
      case SUM -> m.getSum().getDataPoints(0).getStartTimeUnixNano();
      case HISTOGRAM -> m.getHistogram().getDataPoints(0).getStartTimeUnixNano();
      case EXPONENTIAL_HISTOGRAM ->
          m.getExponentialHistogram().getDataPoints(0).getStartTimeUnixNano();
      case SUMMARY -> m.getSummary().getDataPoints(0).getStartTimeUnixNano();
      case DATA_NOT_SET -> 0;
    };
  }

  public static int flags(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPoints(0).getFlags();
      case SUM -> m.getSum().getDataPoints(0).getFlags();
      case HISTOGRAM -> m.getHistogram().getDataPoints(0).getFlags();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPoints(0).getFlags();
      case SUMMARY -> m.getSummary().getDataPoints(0).getFlags();
      case DATA_NOT_SET -> 0;
    };
  }

  public static long time(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPoints(0).getTimeUnixNano();
      case SUM -> m.getSum().getDataPoints(0).getTimeUnixNano();
      case HISTOGRAM -> m.getHistogram().getDataPoints(0).getTimeUnixNano();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPoints(0).getTimeUnixNano();
      case SUMMARY -> m.getSummary().getDataPoints(0).getTimeUnixNano();
      case DATA_NOT_SET -> 0;
    };
  }

  /**
   * The point with these attributes and times, cumulative temporality, and without exemplars (an
   * aggregate's exemplars would point at arbitrary sources).
   */
  public static Metric reshape(Metric m, List<KeyValue> attributes, long start, long time) {
    Metric.Builder b = m.toBuilder();
    var cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    switch (m.getDataCase()) {
      case GAUGE ->
          b.getGaugeBuilder()
              .getDataPointsBuilder(0)
              .clearAttributes()
              .addAllAttributes(attributes)
              .clearExemplars()
              .setStartTimeUnixNano(start)
              .setTimeUnixNano(time);
      case SUM -> {
        b.getSumBuilder().setAggregationTemporality(cumulative);
        b.getSumBuilder()
            .getDataPointsBuilder(0)
            .clearAttributes()
            .addAllAttributes(attributes)
            .clearExemplars()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(time);
      }
      case HISTOGRAM -> {
        b.getHistogramBuilder().setAggregationTemporality(cumulative);
        b.getHistogramBuilder()
            .getDataPointsBuilder(0)
            .clearAttributes()
            .addAllAttributes(attributes)
            .clearExemplars()
            .clearMin()
            .clearMax()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(time);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        b.getExponentialHistogramBuilder().setAggregationTemporality(cumulative);
        b.getExponentialHistogramBuilder()
            .getDataPointsBuilder(0)
            .clearAttributes()
            .addAllAttributes(attributes)
            .clearExemplars()
            .clearMin()
            .clearMax()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(time);
      }
      case SUMMARY ->
          b.getSummaryBuilder()
              .getDataPointsBuilder(0)
              .clearAttributes()
              .addAllAttributes(attributes)
              .setStartTimeUnixNano(start)
              .setTimeUnixNano(time);
      case DATA_NOT_SET -> {}
    }
    return b.build();
  }

  /** The exemplars of a single-point metric (summaries have none). */
  public static List<Exemplar> exemplars(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPoints(0).getExemplarsList();
      case SUM -> m.getSum().getDataPoints(0).getExemplarsList();
      case HISTOGRAM -> m.getHistogram().getDataPoints(0).getExemplarsList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPoints(0).getExemplarsList();
      default -> List.of();
    };
  }

  /** The single-point metric with these exemplars instead of its own. */
  public static Metric withExemplars(Metric m, List<Exemplar> exemplars) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE ->
          b.getGaugeBuilder().getDataPointsBuilder(0).clearExemplars().addAllExemplars(exemplars);
      case SUM ->
          b.getSumBuilder().getDataPointsBuilder(0).clearExemplars().addAllExemplars(exemplars);
      case HISTOGRAM ->
          b.getHistogramBuilder()
              .getDataPointsBuilder(0)
              .clearExemplars()
              .addAllExemplars(exemplars);
      case EXPONENTIAL_HISTOGRAM ->
          b.getExponentialHistogramBuilder()
              .getDataPointsBuilder(0)
              .clearExemplars()
              .addAllExemplars(exemplars);
      default -> {
        return m;
      }
    }
    return b.build();
  }

  /**
   * The point as a source's state keeps it: without attributes and exemplars (its identity is its
   * key), temporality as sent.
   */
  public static Metric strip(Metric m) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE -> b.getGaugeBuilder().getDataPointsBuilder(0).clearAttributes().clearExemplars();
      case SUM -> b.getSumBuilder().getDataPointsBuilder(0).clearAttributes().clearExemplars();
      case HISTOGRAM ->
          b.getHistogramBuilder().getDataPointsBuilder(0).clearAttributes().clearExemplars();
      case EXPONENTIAL_HISTOGRAM ->
          b.getExponentialHistogramBuilder()
              .getDataPointsBuilder(0)
              .clearAttributes()
              .clearExemplars();
      case SUMMARY -> b.getSummaryBuilder().getDataPointsBuilder(0).clearAttributes();
      case DATA_NOT_SET -> {}
    }
    // The source's key names the metric: its state keeps only the point.
    return b.clearName().clearDescription().clearUnit().clearMetadata().build();
  }

  /** As {@link #withDescriptor}, or null when there is no value. */
  static Metric withDescriptorOrNull(Metric value, Metric descriptor) {
    return value == null ? null : withDescriptor(value, descriptor);
  }

  /** {@code value}'s data with {@code descriptor}'s name, description, unit and metadata. */
  public static Metric withDescriptor(Metric value, Metric descriptor) {
    return value.toBuilder()
        .setName(descriptor.getName())
        .setDescription(descriptor.getDescription())
        .setUnit(descriptor.getUnit())
        .clearMetadata()
        .addAllMetadata(descriptor.getMetadataList())
        .build();
  }

  /** Exponential-histogram scales the data model allows. */
  static final int MIN_SCALE = -10;

  static final int MAX_SCALE = 20;

  /**
   * Why a point cannot be aggregated (a bounded reason word), or null when it can: checked before
   * any state is touched, so a malformed point never leaves a half-applied update.
   */
  public static String problem(Metric m) {
    switch (m.getDataCase()) {
      case SUM, GAUGE -> {
        NumberDataPoint p = numberPoint(m);
        if (!isInt(p) && !Double.isFinite(p.getAsDouble())) {
          return "non_finite_value";
        }
      }
      case HISTOGRAM -> {
        HistogramDataPoint p = m.getHistogram().getDataPoints(0);
        if (p.getBucketCountsCount() != 0
            && p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
          return "histogram_malformed";
        }
        if (p.hasSum() && !Double.isFinite(p.getSum())) {
          return "non_finite_value";
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogramDataPoint p = m.getExponentialHistogram().getDataPoints(0);
        if (p.getScale() < MIN_SCALE
            || p.getScale() > MAX_SCALE
            || p.getPositive().getBucketCountsCount() > ExpBuckets.MAX_BUCKETS
            || p.getNegative().getBucketCountsCount() > ExpBuckets.MAX_BUCKETS
            || Math.abs((long) p.getPositive().getOffset()) > ExpBuckets.MAX_OFFSET
            || Math.abs((long) p.getNegative().getOffset()) > ExpBuckets.MAX_OFFSET) {
          return "exponential_histogram_malformed";
        }
        if (p.hasSum() && !Double.isFinite(p.getSum())) {
          return "non_finite_value";
        }
      }
      case SUMMARY -> {
        if (!Double.isFinite(m.getSummary().getDataPoints(0).getSum())) {
          return "non_finite_value";
        }
      }
      case DATA_NOT_SET -> {
        return "no_data";
      }
    }
    return null;
  }

  /** The point marked as having no recorded value: Prometheus' staleness marker for its series. */
  public static Metric staleMarker(Metric m, long time) {
    Metric.Builder b = m.toBuilder();
    int flag = 1; // DataPointFlags.FLAG_NO_RECORDED_VALUE
    switch (m.getDataCase()) {
      case GAUGE ->
          b.getGaugeBuilder().getDataPointsBuilder(0).setFlags(flag).setTimeUnixNano(time);
      case SUM -> b.getSumBuilder().getDataPointsBuilder(0).setFlags(flag).setTimeUnixNano(time);
      case HISTOGRAM ->
          b.getHistogramBuilder().getDataPointsBuilder(0).setFlags(flag).setTimeUnixNano(time);
      case EXPONENTIAL_HISTOGRAM ->
          b.getExponentialHistogramBuilder()
              .getDataPointsBuilder(0)
              .setFlags(flag)
              .setTimeUnixNano(time);
      case SUMMARY ->
          b.getSummaryBuilder().getDataPointsBuilder(0).setFlags(flag).setTimeUnixNano(time);
      case DATA_NOT_SET -> {}
    }
    return b.build();
  }

  /**
   * The scope of the span-metric deltas the sampling tasks write: several tasks write deltas of one
   * series over overlapping windows, exactly once each, so their order is never checked.
   */
  public static final String TASK_DELTAS_SCOPE = "otelstream/spanmetrics";

  /**
   * Whether a delta point starts before the end of the same source's previous delta point (both
   * with times): a repeated or reordered export, which the Collector's deltatocumulative drops. A
   * gap (a start after the previous end) is not.
   */
  public static boolean outOfOrderDelta(Metric previous, Metric current) {
    if (previous == null || !isDelta(current) || !isDelta(previous)) {
      return false;
    }
    long start = startTime(current);
    return start != 0 && time(previous) != 0 && start < time(previous);
  }

  /**
   * What a cumulative point adds over the same source's previous point: the difference, or the
   * whole point when the source reset (a new start time, a lower count or value, other bounds) or
   * has no previous point.
   */
  public static Increment increment(Metric previous, Metric current) {
    if (isDelta(current)) {
      return new Increment(current, false);
    }
    if (previous == null || previous.getDataCase() != current.getDataCase()) {
      return new Increment(current, previous != null);
    }
    boolean restarted =
        startTime(previous) != 0
            && startTime(current) != 0
            && startTime(previous) != startTime(current);
    Metric diff = restarted ? null : difference(previous, current);
    return diff == null ? new Increment(current, true) : new Increment(diff, false);
  }

  /** current − previous, or null when current is not a continuation of previous. */
  private static Metric difference(Metric previous, Metric current) {
    Metric.Builder b = current.toBuilder();
    switch (current.getDataCase()) {
      case SUM -> {
        NumberDataPoint p = previous.getSum().getDataPoints(0);
        NumberDataPoint c = current.getSum().getDataPoints(0);
        if (value(c) < value(p)) {
          return null;
        }
        NumberDataPoint.Builder d = b.getSumBuilder().getDataPointsBuilder(0);
        if (isInt(c) && isInt(p)) {
          d.setAsInt(c.getAsInt() - p.getAsInt());
        } else {
          d.setAsDouble(value(c) - value(p));
        }
      }
      case HISTOGRAM -> {
        HistogramDataPoint p = previous.getHistogram().getDataPoints(0);
        HistogramDataPoint c = current.getHistogram().getDataPoints(0);
        if (c.getCount() < p.getCount()
            || !c.getExplicitBoundsList().equals(p.getExplicitBoundsList())
            || c.getBucketCountsCount() != p.getBucketCountsCount()) {
          return null;
        }
        HistogramDataPoint.Builder d = b.getHistogramBuilder().getDataPointsBuilder(0);
        for (int i = 0; i < c.getBucketCountsCount(); i++) {
          long v = c.getBucketCounts(i) - p.getBucketCounts(i);
          if (v < 0) {
            return null;
          }
          d.setBucketCounts(i, v);
        }
        d.setCount(c.getCount() - p.getCount());
        if (c.hasSum()) {
          d.setSum(c.getSum() - p.getSum());
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogramDataPoint p = previous.getExponentialHistogram().getDataPoints(0);
        ExponentialHistogramDataPoint c = current.getExponentialHistogram().getDataPoints(0);
        if (c.getCount() < p.getCount()
            || c.getScale() > p.getScale()
            || c.getZeroCount() < p.getZeroCount()) {
          return null;
        }
        int shift = p.getScale() - c.getScale();
        ExpBuckets pos =
            ExpBuckets.of(c.getPositive()).minus(ExpBuckets.of(p.getPositive()).downscale(shift));
        ExpBuckets neg =
            ExpBuckets.of(c.getNegative()).minus(ExpBuckets.of(p.getNegative()).downscale(shift));
        if (pos == null || neg == null) {
          return null;
        }
        ExponentialHistogramDataPoint.Builder d =
            b.getExponentialHistogramBuilder().getDataPointsBuilder(0);
        d.setPositive(pos.toProto())
            .setNegative(neg.toProto())
            .setCount(c.getCount() - p.getCount())
            .setZeroCount(c.getZeroCount() - p.getZeroCount());
        if (c.hasSum()) {
          d.setSum(c.getSum() - p.getSum());
        }
      }
      case SUMMARY -> {
        SummaryDataPoint p = previous.getSummary().getDataPoints(0);
        SummaryDataPoint c = current.getSummary().getDataPoints(0);
        if (c.getCount() < p.getCount()) {
          return null;
        }
        b.getSummaryBuilder()
            .getDataPointsBuilder(0)
            .setCount(c.getCount() - p.getCount())
            .setSum(c.getSum() - p.getSum())
            .clearQuantileValues();
      }
      default -> {
        return null;
      }
    }
    return b.build();
  }

  /**
   * total + increment for added kinds, keeping total's descriptor, attributes and times; null when
   * the two cannot be merged (explicit-bucket histograms with different bounds).
   */
  public static Metric add(Metric total, Metric increment) {
    if (total.getDataCase() != increment.getDataCase()) {
      return null;
    }
    Metric.Builder b = total.toBuilder();
    switch (total.getDataCase()) {
      case SUM -> {
        NumberDataPoint t = total.getSum().getDataPoints(0);
        NumberDataPoint i = increment.getSum().getDataPoints(0);
        NumberDataPoint.Builder d = b.getSumBuilder().getDataPointsBuilder(0);
        if (isInt(t) && isInt(i)) {
          d.setAsInt(t.getAsInt() + i.getAsInt());
        } else {
          d.setAsDouble(value(t) + value(i));
        }
      }
      case HISTOGRAM -> {
        HistogramDataPoint t = total.getHistogram().getDataPoints(0);
        HistogramDataPoint i = increment.getHistogram().getDataPoints(0);
        if (!t.getExplicitBoundsList().equals(i.getExplicitBoundsList())
            || t.getBucketCountsCount() != i.getBucketCountsCount()) {
          return null;
        }
        HistogramDataPoint.Builder d = b.getHistogramBuilder().getDataPointsBuilder(0);
        for (int k = 0; k < t.getBucketCountsCount(); k++) {
          d.setBucketCounts(k, t.getBucketCounts(k) + i.getBucketCounts(k));
        }
        d.setCount(t.getCount() + i.getCount());
        if (t.hasSum() || i.hasSum()) {
          d.setSum(t.getSum() + i.getSum());
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogramDataPoint t = total.getExponentialHistogram().getDataPoints(0);
        ExponentialHistogramDataPoint i = increment.getExponentialHistogram().getDataPoints(0);
        int scale =
            ExpBuckets.fittingScale(
                Math.min(t.getScale(), i.getScale()),
                t.getScale(),
                i.getScale(),
                t.getPositive(),
                i.getPositive(),
                t.getNegative(),
                i.getNegative());
        ExpBuckets pos =
            ExpBuckets.of(t.getPositive())
                .downscale(t.getScale() - scale)
                .plus(ExpBuckets.of(i.getPositive()).downscale(i.getScale() - scale));
        ExpBuckets neg =
            ExpBuckets.of(t.getNegative())
                .downscale(t.getScale() - scale)
                .plus(ExpBuckets.of(i.getNegative()).downscale(i.getScale() - scale));
        ExponentialHistogramDataPoint.Builder d =
            b.getExponentialHistogramBuilder().getDataPointsBuilder(0);
        d.setScale(scale)
            .setPositive(pos.toProto())
            .setNegative(neg.toProto())
            .setCount(t.getCount() + i.getCount())
            .setZeroCount(t.getZeroCount() + i.getZeroCount())
            .setZeroThreshold(Math.max(t.getZeroThreshold(), i.getZeroThreshold()));
        if (t.hasSum() || i.hasSum()) {
          d.setSum(t.getSum() + i.getSum());
        }
      }
      case SUMMARY -> {
        SummaryDataPoint t = total.getSummary().getDataPoints(0);
        SummaryDataPoint i = increment.getSummary().getDataPoints(0);
        b.getSummaryBuilder()
            .getDataPointsBuilder(0)
            .setCount(t.getCount() + i.getCount())
            .setSum(t.getSum() + i.getSum())
            .clearQuantileValues();
      }
      case GAUGE -> {
        return null;
      }
      case DATA_NOT_SET -> {}
    }
    return b.build();
  }

  /** The starting total of an added series: the increment without quantiles. */
  public static Metric zeroQuantiles(Metric m) {
    if (m.getDataCase() != Metric.DataCase.SUMMARY) {
      return m;
    }
    Metric.Builder b = m.toBuilder();
    b.getSummaryBuilder().getDataPointsBuilder(0).clearQuantileValues();
    return b.build();
  }

  /** Quantiles a summary point carried (and merging drops). */
  public static int quantiles(Metric m) {
    return m.getDataCase() == Metric.DataCase.SUMMARY
        ? m.getSummary().getDataPoints(0).getQuantileValuesCount()
        : 0;
  }

  /** The number value of a gauge or sum point. */
  public static double numberValue(Metric m) {
    return value(numberPoint(m));
  }

  static NumberDataPoint numberPoint(Metric m) {
    return m.getDataCase() == Metric.DataCase.GAUGE
        ? m.getGauge().getDataPoints(0)
        : m.getSum().getDataPoints(0);
  }

  static boolean isInt(NumberDataPoint p) {
    return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT;
  }

  static double value(NumberDataPoint p) {
    return isInt(p) ? p.getAsInt() : p.getAsDouble();
  }
}
