package io.otelstream.sinks.mimir;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
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
 * samples sorted per series, exponential histograms as native histograms (or, as an option, classic
 * buckets). Delta temporality is counted and dropped (the streams app's aggregation stage turns it
 * into cumulative before it gets here).
 */
final class PrometheusTranslator {
  /**
   * What the Collector's exporter makes configurable.
   *
   * @param nativeHistograms exponential histograms as native histograms (the Collector's way), or
   *     as classic {@code _bucket}/{@code _sum}/{@code _count} series for backends without them
   * @param resourceToTelemetry every resource attribute also a label of every series (the
   *     Collector's {@code resource_to_telemetry_conversion})
   * @param externalLabels labels added to every series unless an attribute has the same name (the
   *     Collector's {@code external_labels})
   */
  record Options(
      boolean nativeHistograms, boolean resourceToTelemetry, Map<String, String> externalLabels) {
    static final Options DEFAULTS = new Options(true, false, Map.of());
  }

  private final Options options;
  // The current resource's attributes as labels under resource_to_telemetry_conversion (a data
  // point's own attribute of the same name wins, as in the Collector).
  private Map<String, String> promoted = Map.of();

  PrometheusTranslator() {
    this(Options.DEFAULTS);
  }

  PrometheusTranslator(Options options) {
    this.options = options;
  }

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
  private final Map<Map<String, String>, List<io.otelstream.schemas.prometheus.Histogram>>
      histograms = new LinkedHashMap<>();

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
      promoted = new TreeMap<>();
      if (options.resourceToTelemetry()) {
        for (KeyValue kv : resourceAttributes) {
          putLabel(promoted, kv.getKey(), text(kv.getValue()));
        }
      }
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
    histograms.forEach(
        (labels, points) -> {
          TimeSeries.Builder ts = TimeSeries.newBuilder();
          labels.forEach((k, v) -> ts.addLabels(Label.newBuilder().setName(k).setValue(v)));
          points.sort(
              Comparator.comparingLong(io.otelstream.schemas.prometheus.Histogram::getTimestamp));
          ts.addAllHistograms(points);
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
      case EXPONENTIAL_HISTOGRAM -> {
        if (m.getExponentialHistogram().getAggregationTemporality()
            != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          drop("delta_temporality", m.getExponentialHistogram().getDataPointsCount());
          return 0;
        }
        String base =
            name(
                m,
                options.nativeHistograms()
                    ? PrometheusNames.Type.EXPONENTIAL_HISTOGRAM
                    : PrometheusNames.Type.HISTOGRAM,
                m.getExponentialHistogram().getDataPointsCount());
        if (base == null) {
          return 0;
        }
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          latest = Math.max(latest, exponential(base, p, scope, target));
        }
      }
      case DATA_NOT_SET -> drop("no_data", 1);
    }
    return latest;
  }

  /**
   * One exponential histogram point, native or as classic buckets; returns its time, 0 if dropped.
   */
  private long exponential(
      String base,
      ExponentialHistogramDataPoint p,
      InstrumentationScope scope,
      Map<String, String> target) {
    long t = p.getTimeUnixNano() / 1_000_000L;
    Map<String, String> labels = labels(p.getAttributesList(), scope, target);
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    if (options.nativeHistograms()) {
      var h = NativeHistograms.of(p, stale, STALE_NAN);
      if (h == null) {
        drop("exponential_scale_below_minus_4", 1);
        return 0;
      }
      Map<String, String> series = with(labels, base, null, null);
      histograms.computeIfAbsent(series, k -> new ArrayList<>()).add(h);
      if (!stale) {
        p.getExemplarsList().forEach(e -> exemplar(series, e));
      }
      return t;
    }
    for (double[] bucket : NativeHistograms.explicitBuckets(p)) {
      sample(
          with(labels, base + "_bucket", "le", format(bucket[0])),
          stale ? STALE_NAN : bucket[1],
          t);
    }
    if (p.hasSum()) {
      sample(with(labels, base + "_sum", null, null), stale ? STALE_NAN : p.getSum(), t);
    }
    sample(with(labels, base + "_count", null, null), stale ? STALE_NAN : p.getCount(), t);
    return t;
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

  private Map<String, String> labels(
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
    promoted.forEach(labels::putIfAbsent);
    labels.putAll(target);
    options.externalLabels().forEach(labels::putIfAbsent);
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
