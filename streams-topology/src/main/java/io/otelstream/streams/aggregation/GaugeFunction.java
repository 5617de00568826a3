package io.otelstream.streams.aggregation;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;

/** How the current values of several sources of one gauge series combine. */
public enum GaugeFunction {
  LAST,
  SUM,
  MIN,
  MAX;

  static GaugeFunction of(String name) {
    return switch (name) {
      case "last" -> LAST;
      case "sum" -> SUM;
      case "min" -> MIN;
      case "max" -> MAX;
      default ->
          throw new IllegalArgumentException("gauge must be last, sum, min or max, was " + name);
    };
  }

  /**
   * The combined point: the newest source's point (ties broken by the larger value, so the result
   * does not depend on the order sources are read in) with the combined value.
   */
  Metric combine(List<Metric> sources) {
    Metric newest = sources.get(0);
    boolean allInt = true;
    long intSum = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Metric m : sources) {
      NumberDataPoint p = PointMath.numberPoint(m);
      double v = PointMath.value(p);
      allInt &= PointMath.isInt(p);
      intSum += p.getAsInt();
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      long t = PointMath.time(m);
      long tn = PointMath.time(newest);
      if (t > tn || (t == tn && v > PointMath.numberValue(newest))) {
        newest = m;
      }
    }
    if (this == LAST) {
      return newest;
    }
    Metric.Builder b = newest.toBuilder();
    NumberDataPoint.Builder p =
        newest.getDataCase() == Metric.DataCase.GAUGE
            ? b.getGaugeBuilder().getDataPointsBuilder(0)
            : b.getSumBuilder().getDataPointsBuilder(0);
    double v = this == SUM ? sum : this == MIN ? min : max;
    if (allInt) {
      p.setAsInt(this == SUM ? intSum : (long) v);
    } else {
      p.setAsDouble(v);
    }
    return b.build();
  }
}
