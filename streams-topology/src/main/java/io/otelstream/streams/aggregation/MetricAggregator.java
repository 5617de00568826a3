package io.otelstream.streams.aggregation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.schemas.Headers;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.streams.signals.AttributeEditor;
import io.otelstream.streams.signals.MetricsConfig;
import io.otelstream.streams.traces.DeadLetters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics aggregation stage. Input: records of the aggregation topic, keyed by {@link
 * SeriesKeys#metric}, so every series of a metric of a tenant meets here. Each point's attributes
 * are edited (attribute actions, then the guard), which names its output series; the point's source
 * series (as sent) is tracked so a cumulative value becomes an increment since the source's
 * previous point (or, after a reset, its whole value). Added kinds (monotonic and delta sums,
 * histograms, summaries) keep a running cumulative total per output series that never decreases;
 * current kinds (gauges, non-monotonic sums) combine their live sources' last values. Every
 * interval each series is written once, cumulative, to the processed topic. All state is in
 * changelogged stores updated in the same exactly-once transaction as the input offsets.
 */
public final class MetricAggregator implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String SINK = "metrics-aggregated-sink";
  private static final Logger log = LoggerFactory.getLogger(MetricAggregator.class);
  private static final int POINTS_PER_RECORD = 1000;
  // Exemplars an output series carries from one emission to the next (the newest).
  private static final int MAX_EXEMPLARS = 20;
  private static final KeyValue OVERFLOW =
      KeyValue.newBuilder()
          .setKey("otel.metric.overflow")
          .setValue(AnyValue.newBuilder().setBoolValue(true))
          .build();

  private final AggregationConfig config;
  private final CardinalityConfig guardConfig;
  private final AttributeEditor points;
  private final AttributeEditor resources;
  private final AggregationMetrics metrics;
  private final long halfWindowMs;
  private final Map<Bytes, MetricGuard> guards = new HashMap<>();
  private final java.util.Set<String> warned = new java.util.HashSet<>();

  /**
   * Series read or changed while processing the current record, written back once at its end: a
   * record holds many points of few series (an SDK export of a metric), so each series is decoded
   * and encoded once per record instead of once per point.
   */
  private final Map<Bytes, SeriesState> touched = new LinkedHashMap<>();

  private long lastExpiryScanMs = Long.MIN_VALUE / 2;

  /** The guard's limits by metric name, resolved once (overrides, never-drop set). */
  private final Map<String, CardinalityConfig.Limits> limitsByMetric = new HashMap<>();

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> series;
  private KeyValueStore<Bytes, byte[]> sources;
  private KeyValueStore<Bytes, byte[]> guardStore;

  public MetricAggregator(MetricsConfig config, AggregationMetrics metrics) {
    this.config = config.aggregation();
    this.guardConfig = config.cardinality().enabled() ? config.cardinality() : null;
    this.points = new AttributeEditor(config.attributes(), config.keepOnlyAttributes());
    this.resources = new AttributeEditor(config.resourceAttributes(), null);
    this.metrics = metrics;
    this.halfWindowMs = config.cardinality().window().toMillis() / 2;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.series = context.getStateStore(AggregationStores.SERIES);
    this.sources = context.getStateStore(AggregationStores.SOURCES);
    this.guardStore = context.getStateStore(AggregationStores.GUARD);
    guards.clear();
    context.schedule(config.interval(), PunctuationType.WALL_CLOCK_TIME, this::emit);
  }

  @Override
  public void close() {
    metrics.report.forget(context.taskId().toString());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ExportMetricsServiceRequest request;
    try {
      request = ExportMetricsServiceRequest.parseFrom(record.value());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      DeadLetters.send(context, record, "undecodable", DeadLetters.METRICS_AGGREGATION_SINK);
      metrics.dropped("undecodable", 1);
      return;
    }
    String tenant = tenant(record);
    try {
      aggregate(request, tenant, context.currentSystemTimeMs());
    } catch (RuntimeException e) {
      // Points are checked before state is touched (PointMath.problem); this is the last guard
      // against a record that would otherwise stop the task on every retry.
      log.error("metrics aggregation: a record could not be processed; dead-lettered", e);
      DeadLetters.send(context, record, "unprocessable", DeadLetters.METRICS_AGGREGATION_SINK);
      metrics.dropped("unprocessable", 1);
    }
  }

  private void aggregate(ExportMetricsServiceRequest request, String tenant, long now) {
    try {
      aggregatePoints(request, tenant, now);
    } finally {
      writeBack();
    }
  }

  /** Writes back the series the current record touched. */
  private void writeBack() {
    touched.forEach((k, v) -> series.put(k, v.encode()));
    touched.clear();
  }

  private SeriesState loadSeries(Bytes key) {
    SeriesState s = touched.get(key);
    if (s == null) {
      byte[] stored = series.get(key);
      s = stored == null ? null : SeriesState.decode(stored);
    }
    return s;
  }

  private void aggregatePoints(ExportMetricsServiceRequest request, String tenant, long now) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      byte[] resourceKey = RecordKeys.resourceKey(rm.getResource());
      Resource resource =
          resources.isNoop()
              ? rm.getResource()
              : rm.getResource().toBuilder()
                  .clearAttributes()
                  .addAllAttributes(resources.apply(rm.getResource().getAttributesList()))
                  .build();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          Bytes metricKey = Bytes.wrap(SeriesKeys.metric(tenant, m.getName()));
          MetricGuard guard = guardConfig == null ? null : guard(metricKey, tenant, m.getName());
          CardinalityConfig.Limits limits =
              guardConfig == null
                  ? null
                  : limitsByMetric.computeIfAbsent(m.getName(), guardConfig::limitsFor);
          List<Metric> singles = PointMath.singles(m);
          if (singles.isEmpty()) {
            metrics.dropped("no_data", 1);
          }
          for (Metric point : singles) {
            if ((PointMath.flags(point) & 1) != 0) {
              metrics.dropped("no_recorded_value", 1);
              continue;
            }
            String problem = PointMath.problem(point);
            if (problem != null) {
              metrics.dropped(problem, 1);
              if (warned.add(problem)) {
                log.warn(
                    "metric '{}': a point cannot be aggregated ({}); dropped and counted in"
                        + " otelstream_streams_metric_points_dropped_total (logged once per reason)",
                    m.getName(),
                    problem);
              }
              continue;
            }
            add(tenant, resourceKey, resource, sm.getScope(), point, metricKey, guard, limits, now);
          }
          if (guard != null && guard.dirty) {
            guardStore.put(metricKey, guard.encode());
            guard.dirty = false;
          }
        }
      }
    }
  }

  private void add(
      String tenant,
      byte[] resourceKey,
      Resource resource,
      InstrumentationScope scope,
      Metric point,
      Bytes metricKey,
      MetricGuard guard,
      CardinalityConfig.Limits limits,
      long now) {
    List<KeyValue> sent = PointMath.attributes(point);
    byte[] sourceId = SeriesKeys.source(resourceKey, scope, point, sent);
    List<KeyValue> attrs = points.isNoop() ? sent : points.apply(sent);
    if (guard != null) {
      List<String> dropped = guard.observe(attrs, now, halfWindowMs, limits);
      for (String key : dropped) {
        log.warn(
            "cardinality guard: dropping attribute '{}' from metric '{}'{}: more than {} distinct"
                + " values within {}; its series are merged (allow it with cardinality.never_drop"
                + " or cardinality.overrides)",
            key,
            point.getName(),
            tenant == null ? "" : " of tenant '" + tenant + "'",
            limits.maxValuesPerAttribute(),
            guardConfig.window());
        metrics.attributeDropped();
        mergeDropped(metricKey, guard, key, now);
      }
      attrs = guard.filter(attrs);
    }
    List<KeyValue> resourceAttrs = resource.getAttributesList();
    byte[] naturalId = SeriesKeys.series(tenant, resourceAttrs, scope, point, attrs);
    Bytes naturalKey = concat(metricKey, naturalId);
    SeriesState state = loadSeries(naturalKey);
    Bytes seriesKey = naturalKey;
    List<KeyValue> seriesAttrs = attrs;
    byte[] sourceBytes = state == null ? null : sources.get(concat(naturalKey, sourceId));
    if (guard != null && sourceBytes == null) {
      Bytes overflowKey =
          concat(
              metricKey, SeriesKeys.series(tenant, resourceAttrs, scope, point, List.of(OVERFLOW)));
      byte[] inOverflow =
          guard.overflowSinceMs == null ? null : sources.get(concat(overflowKey, sourceId));
      if (inOverflow != null
          || (state == null && guard.activeSeries >= limits.maxSeriesPerMetric())) {
        if (guard.overflowSinceMs == null) {
          guard.overflowSinceMs = now;
          log.warn(
              "cardinality guard: metric '{}'{} reached its limit of {} series; new series go to"
                  + " its overflow series otel.metric.overflow=\"true\"",
              point.getName(),
              tenant == null ? "" : " of tenant '" + tenant + "'",
              limits.maxSeriesPerMetric());
        }
        guard.overflowPoints++;
        guard.dirty = true;
        metrics.overflow();
        seriesKey = overflowKey;
        seriesAttrs = List.of(OVERFLOW);
        sourceBytes = inOverflow;
        state = loadSeries(overflowKey);
      }
    }
    SourceState previous = sourceBytes == null ? null : SourceState.decode(sourceBytes);
    Metric stripped = PointMath.strip(point);
    if (!PointMath.TASK_DELTAS_SCOPE.equals(scope.getName())
        && PointMath.outOfOrderDelta(previous == null ? null : previous.metric(), stripped)) {
      // As the Collector's deltatocumulative: a delta that starts before the source's last one
      // ended is a retried or reordered export; adding it would count it twice.
      metrics.dropped("delta_out_of_order", 1);
      return;
    }
    if (PointMath.quantiles(point) > 0) {
      metrics.quantilesDropped(PointMath.quantiles(point));
    }
    if (PointMath.kind(point) == PointMath.Kind.ADDED) {
      PointMath.Increment inc =
          PointMath.increment(previous == null ? null : previous.metric(), stripped);
      if (inc.reset() && previous != null) {
        metrics.reset();
      }
      if (state == null) {
        state =
            newSeries(
                tenant, resource, scope, point, seriesAttrs, seriesKey, guard, inc.point(), now);
      } else {
        Metric total = PointMath.add(state.metric, inc.point());
        if (total == null) {
          metrics.dropped("histogram_bounds_differ", 1);
          log.warn(
              "metric '{}': a histogram point's bucket bounds differ from its series'; not merged,"
                  + " dropped (counted in otelstream_streams_metric_points_dropped_total)",
              point.getName());
          return;
        }
        state.metric = total;
      }
    } else if (state == null) {
      state =
          newSeries(tenant, resource, scope, point, seriesAttrs, seriesKey, guard, stripped, now);
    }
    if (previous == null) {
      state.liveSources++;
    }
    List<Exemplar> exemplars = PointMath.exemplars(point);
    if (!exemplars.isEmpty() && PointMath.kind(point) == PointMath.Kind.ADDED) {
      // Exemplars ride on the series until its next emission: the newest few of its sources'.
      List<Exemplar> kept = new ArrayList<>(PointMath.exemplars(state.metric));
      kept.addAll(exemplars);
      state.metric =
          PointMath.withExemplars(
              state.metric, kept.subList(Math.max(0, kept.size() - MAX_EXEMPLARS), kept.size()));
    }
    state.lastUpdateMs = now;
    metrics.aggregated();
    sources.put(concat(seriesKey, sourceId), new SourceState(now, stripped).encode());
    touched.put(seriesKey, state);
  }

  private SeriesState newSeries(
      String tenant,
      Resource resource,
      InstrumentationScope scope,
      Metric point,
      List<KeyValue> attrs,
      Bytes key,
      MetricGuard guard,
      Metric value,
      long now) {
    SeriesState s = new SeriesState();
    s.tenant = tenant;
    s.resource = resource;
    s.scope = scope;
    long start = PointMath.startTime(point) != 0 ? PointMath.startTime(point) : now * 1_000_000L;
    s.metric =
        PointMath.reshape(
            PointMath.withDescriptor(PointMath.zeroQuantiles(value), point),
            attrs,
            start,
            now * 1_000_000L);
    s.overflow = attrs.size() == 1 && attrs.get(0).equals(OVERFLOW);
    if (guard != null && !s.overflow) {
      guard.activeSeries++;
      guard.dirty = true;
    }
    return s;
  }

  /**
   * The guard dropped {@code attribute} from a metric: every series that had it is merged into the
   * series without it (totals added, sources moved) and ended, so it is written once more as a
   * staleness marker and the metric's sum stays what it was.
   */
  private void mergeDropped(Bytes metricKey, MetricGuard guard, String attribute, long now) {
    writeBack();
    guard.dirty = true;
    List<Map.Entry<Bytes, SeriesState>> affected = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        series.prefixScan(metricKey, new org.apache.kafka.common.serialization.BytesSerializer())) {
      while (it.hasNext()) {
        var kv = it.next();
        SeriesState s = SeriesState.decode(kv.value);
        if (!s.ended
            && !s.overflow
            && PointMath.attributes(s.metric).stream()
                .anyMatch(a -> a.getKey().equals(attribute))) {
          affected.add(Map.entry(kv.key, s));
        }
      }
    }
    for (Map.Entry<Bytes, SeriesState> e : affected) {
      SeriesState from = e.getValue();
      List<KeyValue> attrs = new ArrayList<>(PointMath.attributes(from.metric));
      attrs.removeIf(a -> a.getKey().equals(attribute));
      Bytes toKey =
          concat(
              metricKey,
              SeriesKeys.series(
                  from.tenant, from.resource.getAttributesList(), from.scope, from.metric, attrs));
      byte[] toBytes = series.get(toKey);
      SeriesState to;
      if (toBytes == null) {
        to = new SeriesState();
        to.tenant = from.tenant;
        to.resource = from.resource;
        to.scope = from.scope;
        to.metric =
            PointMath.reshape(
                from.metric, attrs, PointMath.startTime(from.metric), now * 1_000_000L);
        guard.activeSeries++;
      } else {
        to = SeriesState.decode(toBytes);
        if (PointMath.kind(from.metric) == PointMath.Kind.ADDED) {
          Metric total = PointMath.add(to.metric, from.metric);
          to.metric = total != null ? total : to.metric;
        }
      }
      List<org.apache.kafka.streams.KeyValue<Bytes, byte[]>> moved = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it =
          sources.prefixScan(
              e.getKey(), new org.apache.kafka.common.serialization.BytesSerializer())) {
        it.forEachRemaining(moved::add);
      }
      for (var kv : moved) {
        sources.delete(kv.key);
        sources.put(concat(toKey, Arrays.copyOfRange(kv.key.get(), 32, 48)), kv.value);
      }
      to.liveSources += moved.size();
      to.lastUpdateMs = now;
      series.put(toKey, to.encode());
      from.ended = true;
      from.liveSources = 0;
      guard.activeSeries--;
      series.put(e.getKey(), from.encode());
    }
  }

  /** Forgets stale sources, writes every series once, ends series without sources. */
  private void emit(long now) {
    long staleMs = config.staleness().toMillis();
    Map<Bytes, Integer> lostSources = new HashMap<>();
    // Every source is read to find the silent ones: a quarter of the staleness apart is often
    // enough (a source is forgotten between 1 and 1.25 staleness after its last point).
    if (now - lastExpiryScanMs >= Math.max(config.interval().toMillis(), staleMs / 4)) {
      lastExpiryScanMs = now;
      List<Bytes> forgotten = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = sources.all()) {
        while (it.hasNext()) {
          var kv = it.next();
          if (now - SourceState.lastSeenMs(kv.value) > staleMs) {
            forgotten.add(kv.key);
            lostSources.merge(Bytes.wrap(Arrays.copyOf(kv.key.get(), 32)), 1, Integer::sum);
          }
        }
      }
      forgotten.forEach(sources::delete);
      metrics.forgotten(forgotten.size());
    }

    Output out = new Output(now);
    List<Bytes> removed = new ArrayList<>();
    Map<Bytes, Integer> endedPerMetric = new HashMap<>();
    List<org.apache.kafka.streams.KeyValue<Bytes, SeriesState>> updated = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = series.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        SeriesState s = SeriesState.decode(kv.value);
        Integer lost = lostSources.get(kv.key);
        if (lost != null) {
          s.liveSources -= lost;
        }
        if (s.ended || (s.liveSources <= 0 && now - s.lastUpdateMs > staleMs)) {
          if (s.emitted) { // a series never written needs no end
            out.add(s, PointMath.staleMarker(s.metric, now * 1_000_000L));
          }
          removed.add(kv.key);
          if (!s.ended && !s.overflow) {
            endedPerMetric.merge(Bytes.wrap(Arrays.copyOf(kv.key.get(), 16)), 1, Integer::sum);
          }
          continue;
        }
        boolean changed = lost != null;
        Metric value =
            PointMath.kind(s.metric) == PointMath.Kind.ADDED
                ? s.metric
                : PointMath.withDescriptorOrNull(current(kv.key, s), s.metric);
        if (value != null) {
          List<Exemplar> exemplars = PointMath.exemplars(s.metric);
          Metric point =
              PointMath.reshape(
                  value,
                  PointMath.attributes(s.metric),
                  PointMath.startTime(s.metric),
                  now * 1_000_000L);
          if (!exemplars.isEmpty()) {
            out.add(s, PointMath.withExemplars(point, exemplars));
            s.metric = PointMath.withExemplars(s.metric, List.of()); // each written once
            changed = true;
          } else {
            out.add(s, point);
          }
          changed |= !s.emitted;
          s.emitted = true;
        }
        if (changed) {
          updated.add(org.apache.kafka.streams.KeyValue.pair(kv.key, s));
        }
      }
    }
    updated.forEach(u -> series.put(u.key, u.value.encode()));
    removed.forEach(series::delete);
    endedPerMetric.forEach(
        (metricKey, n) -> {
          byte[] g = guardStore.get(metricKey);
          if (g != null) {
            MetricGuard guard = guards.computeIfAbsent(metricKey, k -> MetricGuard.decode(g));
            guard.activeSeries = Math.max(0, guard.activeSeries - n);
            guardStore.put(metricKey, guard.encode());
          }
        });
    metrics.emitted(out.flush());
    publishReport(now);
  }

  /** A current-kind series' value: its live sources' last points, combined. */
  private Metric current(Bytes seriesKey, SeriesState s) {
    List<Metric> live = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it =
        sources.prefixScan(
            seriesKey, new org.apache.kafka.common.serialization.BytesSerializer())) {
      it.forEachRemaining(kv -> live.add(SourceState.decode(kv.value).metric()));
    }
    if (live.isEmpty()) {
      return null;
    }
    GaugeFunction f =
        s.metric.getDataCase() == Metric.DataCase.SUM ? GaugeFunction.SUM : config.gaugeFunction();
    return f.combine(live);
  }

  private void publishReport(long now) {
    if (guardConfig == null) {
      return;
    }
    List<CardinalityReport.MetricEntry> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = guardStore.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        MetricGuard g = guards.computeIfAbsent(kv.key, k -> MetricGuard.decode(kv.value));
        List<CardinalityReport.DroppedAttribute> dropped = new ArrayList<>();
        List<CardinalityReport.AttributeValues> values = new ArrayList<>();
        g.attributes.forEach(
            (key, a) -> {
              if (a.droppedSinceMs != null) {
                dropped.add(
                    new CardinalityReport.DroppedAttribute(
                        key, a.droppedSinceMs, a.distinctAtDrop));
              } else {
                values.add(new CardinalityReport.AttributeValues(key, a.distinct()));
              }
            });
        values.sort((x, y) -> Integer.compare(y.distinctValues(), x.distinctValues()));
        entries.add(
            new CardinalityReport.MetricEntry(
                g.tenant,
                g.metric,
                g.activeSeries,
                g.overflowSinceMs,
                g.overflowPoints,
                dropped,
                values));
      }
    }
    metrics.report.publish(context.taskId().toString(), entries);
  }

  private MetricGuard guard(Bytes metricKey, String tenant, String name) {
    MetricGuard g = guards.get(metricKey);
    if (g == null) {
      byte[] stored = guardStore.get(metricKey);
      g = stored != null ? MetricGuard.decode(stored) : new MetricGuard(tenant, name);
      guards.put(metricKey, g);
    }
    return g;
  }

  private static String tenant(Record<byte[], byte[]> record) {
    return Headers.tenant(record.headers());
  }

  private static Bytes concat(Bytes prefix, byte[] id) {
    byte[] k = Arrays.copyOf(prefix.get(), prefix.get().length + id.length);
    System.arraycopy(id, 0, k, prefix.get().length, id.length);
    return Bytes.wrap(k);
  }

  /** Emitted points grouped into records by tenant, resource and scope. */
  private final class Output {
    private final long now;
    private final Map<List<Object>, ResourceMetrics.Builder> groups = new LinkedHashMap<>();
    private final Map<List<Object>, Integer> sizes = new HashMap<>();
    private long points;

    Output(long now) {
      this.now = now;
    }

    void add(SeriesState s, Metric point) {
      List<Object> group =
          Arrays.asList(s.tenant, s.resource.toByteString(), s.scope.toByteString());
      ResourceMetrics.Builder rb =
          groups.computeIfAbsent(
              group,
              g ->
                  ResourceMetrics.newBuilder()
                      .setResource(s.resource)
                      .addScopeMetrics(ScopeMetrics.newBuilder().setScope(s.scope)));
      rb.getScopeMetricsBuilder(0).addMetrics(point);
      points++;
      if (sizes.merge(group, 1, Integer::sum) >= POINTS_PER_RECORD) {
        send(group, groups.remove(group));
        sizes.remove(group);
      }
    }

    long flush() {
      groups.forEach(this::send);
      groups.clear();
      return points;
    }

    private void send(List<Object> group, ResourceMetrics.Builder rb) {
      ResourceMetrics rm = rb.build();
      org.apache.kafka.common.header.Headers headers = Headers.withTenant((String) group.get(0));
      byte[] value =
          ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build().toByteArray();
      context.forward(
          new Record<>(RecordKeys.resourceKey(rm.getResource()), value, now, headers), SINK);
    }
  }
}
