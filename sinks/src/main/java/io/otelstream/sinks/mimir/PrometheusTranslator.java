package io.otelstream.sinks.mimir;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.otelstream.schemas.prometheus.Exemplar;
import io.otelstream.schemas.prometheus.Label;
import io.otelstream.schemas.prometheus.Sample;
import io.otelstream.schemas.prometheus.TimeSeries;
import io.otelstream.schemas.prometheus.WriteRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP metrics to Prometheus remote write 1.0, per the OpenTelemetry Prometheus compatibility
 * specification: name normalisation with unit and type suffixes, {@code _total} for monotonic
 * cumulative sums, non-monotonic sums as gauges, histograms as {@code _bucket{le}} / {@code _sum} /
 * {@code _count}, {@code job} and {@code instance} from the resource, the other resource attributes
 * in {@code target_info}, the scope as {@code otel_scope_name} / {@code otel_scope_version},
 * samples sorted per series. Delta temporality and exponential histograms are counted and dropped.
 */
final class PrometheusTranslator {
  /**
   * Prometheus' staleness marker: a point flagged as having no recorded value (the streams app's
   * aggregation writes one when a series ends) ends its series at once, as the Collector's
   * translator does.
   */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private static final int NO_RECORDED_VALUE = 1;

  /** What could not be translated, by reason. */
  final Map<String, Long> dropped = new TreeMap<>();

  private final Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
  private final Map<Map<String, String>, List<Exemplar>> exemplars = new LinkedHashMap<>();

  void add(ExportMetricsServiceRequest request) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, String> resource = new TreeMap<>();
      String serviceName = null;
      String namespace = null;
      String instance = null;
      List<KeyValue> resourceAttributes = new ArrayList<>(rm.getResource().getAttributesList());
      resourceAttributes.sort(Comparator.comparing(KeyValue::getKey));
      for (KeyValue kv : resourceAttributes) {
        switch (kv.getKey()) {
          case "service.name" -> serviceName = text(kv.getValue());
          case "service.namespace" -> namespace = text(kv.getValue());
          case "service.instance.id" -> instance = text(kv.getValue());
          default -> putLabel(resource, kv.getKey(), text(kv.getValue()));
        }
      }
      Map<String, String> target = new TreeMap<>();
      if (serviceName != null) {
        target.put("job", namespace != null ? namespace + "/" + serviceName : serviceName);
      }
      if (instance != null) {
        target.put("instance", instance);
      }
      long latest = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          latest = Math.max(latest, metric(m, sm.getScope(), target));
        }
      }
      if (!resource.isEmpty() && latest > 0) {
        Map<String, String> info = new TreeMap<>(resource);
        info.putAll(target);
        info.put("__name__", "target_info");
        sample(info, 1, latest);
      }
    }
  }

  WriteRequest build() {
    WriteRequest.Builder w = WriteRequest.newBuilder();
    series.forEach(
        (labels, samples) -> {
          TimeSeries.Builder ts = TimeSeries.newBuilder();
          labels.forEach((k, v) -> ts.addLabels(Label.newBuilder().setName(k).setValue(v)));
          samples.sort(Comparator.comparingLong(Sample::getTimestamp));
          ts.addAllSamples(samples);
          ts.addAllExemplars(exemplars.getOrDefault(labels, List.of()));
          w.addTimeseries(ts);
        });
    return w.build();
  }

  /** Adds a metric's samples; returns the latest sample time in ms (0 when none). */
  private long metric(Metric m, InstrumentationScope scope, Map<String, String> target) {
    long latest = 0;
    switch (m.getDataCase()) {
      case GAUGE -> {
        String name = name(m, PrometheusNames.Type.GAUGE, m.getGauge().getDataPointsCount());
        if (name == null) {
          return 0;
        }
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          latest = Math.max(latest, number(name, p, scope, target));
        }
      }
      case SUM -> {
        if (m.getSum().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          drop("delta_temporality", m.getSum().getDataPointsCount());
          return 0;
        }
        PrometheusNames.Type type =
            m.getSum().getIsMonotonic()
                ? PrometheusNames.Type.MONOTONIC_COUNTER
                : PrometheusNames.Type.NON_MONOTONIC_COUNTER;
        String name = name(m, type, m.getSum().getDataPointsCount());
        if (name == null) {
          return 0;
        }
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          latest = Math.max(latest, number(name, p, scope, target));
        }
      }
      case HISTOGRAM -> {
        if (m.getHistogram().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          drop("delta_temporality", m.getHistogram().getDataPointsCount());
          return 0;
        }
        String base =
            name(m, PrometheusNames.Type.HISTOGRAM, m.getHistogram().getDataPointsCount());
        if (base == null) {
          return 0;
        }
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          long t = p.getTimeUnixNano() / 1_000_000L;
          Map<String, String> labels = labels(p.getAttributesList(), scope, target);
          boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
          long cumulative = 0;
          for (int i = 0; i < p.getBucketCountsCount(); i++) {
            cumulative += p.getBucketCounts(i);
            String le = i < p.getExplicitBoundsCount() ? format(p.getExplicitBounds(i)) : "+Inf";
            Map<String, String> bucket = with(labels, base + "_bucket", "le", le);
            sample(bucket, stale ? STALE_NAN : cumulative, t);
            if (!stale) {
              // An exemplar belongs to the bucket its value falls in, as the Collector writes it.
              double lower = i == 0 ? Double.NEGATIVE_INFINITY : p.getExplicitBounds(i - 1);
              double upper =
                  i < p.getExplicitBoundsCount()
                      ? p.getExplicitBounds(i)
                      : Double.POSITIVE_INFINITY;
              for (io.opentelemetry.proto.metrics.v1.Exemplar e : p.getExemplarsList()) {
                double v = value(e);
                if (v > lower && v <= upper) {
                  exemplar(bucket, e);
                }
              }
            }
          }
          if (p.getBucketCountsCount() <= p.getExplicitBoundsCount()) {
            sample(
                with(labels, base + "_bucket", "le", "+Inf"), stale ? STALE_NAN : p.getCount(), t);
          }
          if (p.hasSum()) {
            sample(with(labels, base + "_sum", null, null), stale ? STALE_NAN : p.getSum(), t);
          }
          sample(with(labels, base + "_count", null, null), stale ? STALE_NAN : p.getCount(), t);
          latest = Math.max(latest, t);
        }
      }
      case SUMMARY -> {
        String base = name(m, PrometheusNames.Type.SUMMARY, m.getSummary().getDataPointsCount());
        if (base == null) {
          return 0;
        }
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          long t = p.getTimeUnixNano() / 1_000_000L;
          Map<String, String> labels = labels(p.getAttributesList(), scope, target);
          boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
          for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            sample(
                with(labels, base, "quantile", format(q.getQuantile())),
                stale ? STALE_NAN : q.getValue(),
                t);
          }
          sample(with(labels, base + "_sum", null, null), stale ? STALE_NAN : p.getSum(), t);
          sample(with(labels, base + "_count", null, null), stale ? STALE_NAN : p.getCount(), t);
          latest = Math.max(latest, t);
        }
      }
      case EXPONENTIAL_HISTOGRAM ->
          drop("exponential_histogram", m.getExponentialHistogram().getDataPointsCount());
      case DATA_NOT_SET -> drop("no_data", 1);
    }
    return latest;
  }

  private long number(
      String name, NumberDataPoint p, InstrumentationScope scope, Map<String, String> target) {
    long t = p.getTimeUnixNano() / 1_000_000L;
    double v =
        (p.getFlags() & NO_RECORDED_VALUE) != 0
            ? STALE_NAN
            : p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    Map<String, String> labels =
        with(labels(p.getAttributesList(), scope, target), name, null, null);
    sample(labels, v, t);
    if ((p.getFlags() & NO_RECORDED_VALUE) == 0) {
      p.getExemplarsList().forEach(e -> exemplar(labels, e));
    }
    return t;
  }

  private static Map<String, String> labels(
      List<KeyValue> attributes, InstrumentationScope scope, Map<String, String> target) {
    Map<String, String> labels = new TreeMap<>();
    List<KeyValue> sorted = new ArrayList<>(attributes);
    sorted.sort(Comparator.comparing(KeyValue::getKey));
    for (KeyValue kv : sorted) {
      putLabel(labels, kv.getKey(), text(kv.getValue()));
    }
    if (!scope.getName().isEmpty()) {
      labels.put("otel_scope_name", scope.getName());
    }
    if (!scope.getVersion().isEmpty()) {
      labels.put("otel_scope_version", scope.getVersion());
    }
    labels.putAll(target);
    return labels;
  }

  private static Map<String, String> with(
      Map<String, String> labels, String name, String key, String value) {
    Map<String, String> l = new TreeMap<>(labels);
    l.put("__name__", name);
    if (key != null) {
      l.put(key, value);
    }
    return l;
  }

  private void sample(Map<String, String> labels, double value, long timestampMs) {
    series
        .computeIfAbsent(labels, k -> new ArrayList<>())
        .add(Sample.newBuilder().setValue(value).setTimestamp(timestampMs).build());
  }

  /** An exemplar as the Collector's translator writes it: trace_id and span_id labels in hex. */
  private void exemplar(Map<String, String> labels, io.opentelemetry.proto.metrics.v1.Exemplar e) {
    Exemplar.Builder x =
        Exemplar.newBuilder().setValue(value(e)).setTimestamp(e.getTimeUnixNano() / 1_000_000L);
    if (!e.getTraceId().isEmpty()) {
      x.addLabels(
          Label.newBuilder()
              .setName("trace_id")
              .setValue(HexFormat.of().formatHex(e.getTraceId().toByteArray())));
    }
    if (!e.getSpanId().isEmpty()) {
      x.addLabels(
          Label.newBuilder()
              .setName("span_id")
              .setValue(HexFormat.of().formatHex(e.getSpanId().toByteArray())));
    }
    exemplars.computeIfAbsent(labels, k -> new ArrayList<>()).add(x.build());
  }

  private static double value(io.opentelemetry.proto.metrics.v1.Exemplar e) {
    return e.getValueCase() == io.opentelemetry.proto.metrics.v1.Exemplar.ValueCase.AS_INT
        ? e.getAsInt()
        : e.getAsDouble();
  }

  /**
   * Attributes whose names become the same label are joined with {@code ;} in key order, as the
   * Collector's translator joins them (instead of one overwriting the other).
   */
  private static void putLabel(Map<String, String> labels, String key, String value) {
    labels.merge(PrometheusNames.label(key), value, (a, b) -> a + ";" + b);
  }

  /** The metric's Prometheus name, or null (counted) when nothing valid is left of it. */
  private String name(Metric m, PrometheusNames.Type type, int points) {
    String name = PrometheusNames.metric(m.getName(), m.getUnit(), type);
    if (name.isEmpty()) {
      drop("invalid_name", points);
      return null;
    }
    return name;
  }

  private void drop(String reason, long points) {
    dropped.merge(reason, points, Long::sum);
  }

  private static String format(double d) {
    return PrometheusNames.format(d);
  }

  private static String text(AnyValue v) {
    return io.otelstream.schemas.AnyValueText.of(v);
  }
}
