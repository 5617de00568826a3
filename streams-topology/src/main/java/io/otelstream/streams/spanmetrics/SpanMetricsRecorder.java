package io.otelstream.streams.spanmetrics;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.AvroState;
import io.otelstream.schemas.Headers;
import io.otelstream.streams.aggregation.SeriesKeys;
import io.otelstream.streams.sampling.TraceData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts every span of a decided trace (and every late span) into span-metrics series, in the
 * task's changelogged store, so the counts commit with the decisions that made them; every flush
 * interval it writes what it counted as delta points to the metrics aggregation topic, keyed by
 * tenant and metric name, where the aggregation stage adds every task's deltas into one cumulative
 * series. Series names and dimensions are the Collector {@code spanmetrics} connector's.
 */
public final class SpanMetricsRecorder {
  public static final String SINK = "span-metrics-sink";
  public static final String STORE = "sm-deltas";
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("otelstream/spanmetrics").build();
  private static final int POINTS_PER_RECORD = 1000;

  private final SpanMetricsConfig config;
  private final double[] bounds;
  private final KeyValueStore<Bytes, byte[]> store;
  private final ProcessorContext<byte[], byte[]> context;
  private final Metric callsTemplate;
  private final Metric durationTemplate;

  public SpanMetricsRecorder(
      SpanMetricsConfig config,
      KeyValueStore<Bytes, byte[]> store,
      ProcessorContext<byte[], byte[]> context) {
    this.config = config;
    this.bounds = config.histogram().bounds();
    this.store = store;
    this.context = context;
    this.callsTemplate =
        Metric.newBuilder()
            .setName(config.callsName())
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA))
            .build();
    this.durationTemplate =
        Metric.newBuilder()
            .setName(config.durationName())
            .setUnit(config.histogram().unit())
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA))
            .build();
  }

  /** One series' counts since the last flush. */
  private static final class Delta {
    String tenant;
    Resource resource;
    List<KeyValue> attributes;
    long calls;
    long[] buckets;
    double sum;
    long sinceMs;
  }

  /** Counts the spans of a decided trace. */
  public void record(TraceData trace, String tenant) {
    Map<Bytes, Delta> counted = new LinkedHashMap<>();
    long now = context.currentSystemTimeMs();
    for (TraceData.SpanWithResource s : trace.spans()) {
      count(counted, tenant, s.resource(), s.span(), now);
    }
    merge(counted);
  }

  /** Counts the spans of a late record (a trace already decided). */
  public void recordLate(byte[] value, String tenant) {
    Map<Bytes, Delta> counted = new LinkedHashMap<>();
    long now = context.currentSystemTimeMs();
    try {
      for (var rs :
          io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(value)
              .getResourceSpansList()) {
        for (var ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            count(counted, tenant, rs.getResource(), span, now);
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a validated record does not decode", e);
    }
    merge(counted);
  }

  private void count(Map<Bytes, Delta> counted, String tenant, Resource r, Span span, long now) {
    List<KeyValue> attrs = dimensions(r, span);
    Bytes key =
        Bytes.wrap(SeriesKeys.series(tenant, r.getAttributesList(), SCOPE, callsTemplate, attrs));
    Delta d = counted.get(key);
    if (d == null) {
      d = new Delta();
      d.tenant = tenant;
      d.resource = r;
      d.attributes = attrs;
      d.buckets = new long[bounds.length + 1];
      d.sinceMs = now;
      counted.put(key, d);
    }
    double duration =
        (span.getEndTimeUnixNano() - span.getStartTimeUnixNano())
            / (config.histogram().unit().equals("ms") ? 1e6 : 1e9);
    duration = Math.max(0, duration);
    d.calls++;
    d.sum += duration;
    int bucket = Arrays.binarySearch(bounds, duration);
    d.buckets[bucket >= 0 ? bucket : -bucket - 1]++;
  }

  /** The connector's dimensions: service.name, span.name, span.kind, status.code, then extras. */
  private List<KeyValue> dimensions(Resource r, Span span) {
    List<KeyValue> out = new ArrayList<>(4 + config.dimensions().size());
    out.add(text("service.name", attribute(r.getAttributesList(), "service.name", "")));
    if (!config.excludeDimensions().contains("span.name")) {
      out.add(text("span.name", span.getName()));
    }
    if (!config.excludeDimensions().contains("span.kind")) {
      out.add(text("span.kind", span.getKind().name()));
    }
    if (!config.excludeDimensions().contains("status.code")) {
      out.add(text("status.code", span.getStatus().getCode().name()));
    }
    for (SpanMetricsConfig.Dimension dim : config.dimensions()) {
      AnyValue v = value(span.getAttributesList(), dim.name());
      if (v == null) {
        v = value(r.getAttributesList(), dim.name());
      }
      if (v != null) {
        out.add(KeyValue.newBuilder().setKey(dim.name()).setValue(v).build());
      } else if (dim.defaultValue() != null) {
        out.add(text(dim.name(), dim.defaultValue()));
      }
    }
    return out;
  }

  /** Adds this trace's counts to the stored ones. */
  private void merge(Map<Bytes, Delta> counted) {
    counted.forEach(
        (key, d) -> {
          byte[] stored = store.get(key);
          if (stored != null) {
            Delta s = decode(stored);
            d.calls += s.calls;
            d.sum += s.sum;
            d.sinceMs = s.sinceMs;
            for (int i = 0; i < d.buckets.length && i < s.buckets.length; i++) {
              d.buckets[i] += s.buckets[i];
            }
          }
          store.put(key, encode(d));
        });
  }

  /** Writes every series' counts since the last flush as delta points, then forgets them. */
  public void flush(long nowMs) {
    Map<List<Object>, ResourceMetrics.Builder> calls = new LinkedHashMap<>();
    Map<List<Object>, ResourceMetrics.Builder> durations = new LinkedHashMap<>();
    Map<String, Integer> points = new HashMap<>();
    List<Bytes> flushed = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        flushed.add(kv.key);
        Delta d = decode(kv.value);
        long start = d.sinceMs * 1_000_000L;
        long end = nowMs * 1_000_000L;
        List<Object> group = Arrays.asList(d.tenant, d.resource.toByteString());
        builder(calls, group, d)
            .getScopeMetricsBuilder(0)
            .addMetrics(
                callsTemplate.toBuilder()
                    .setSum(
                        callsTemplate.getSum().toBuilder()
                            .addDataPoints(
                                NumberDataPoint.newBuilder()
                                    .addAllAttributes(d.attributes)
                                    .setStartTimeUnixNano(start)
                                    .setTimeUnixNano(end)
                                    .setAsInt(d.calls))));
        if (!config.histogram().disable()) {
          HistogramDataPoint.Builder p =
              HistogramDataPoint.newBuilder()
                  .addAllAttributes(d.attributes)
                  .setStartTimeUnixNano(start)
                  .setTimeUnixNano(end)
                  .setCount(d.calls)
                  .setSum(d.sum);
          for (double b : bounds) {
            p.addExplicitBounds(b);
          }
          for (long c : d.buckets) {
            p.addBucketCounts(c);
          }
          builder(durations, group, d)
              .getScopeMetricsBuilder(0)
              .addMetrics(
                  durationTemplate.toBuilder()
                      .setHistogram(durationTemplate.getHistogram().toBuilder().addDataPoints(p)));
        }
        if (points.merge(d.tenant == null ? "" : d.tenant, 1, Integer::sum) >= POINTS_PER_RECORD) {
          send(calls, config.callsName(), nowMs);
          send(durations, config.durationName(), nowMs);
          points.clear();
        }
      }
    }
    send(calls, config.callsName(), nowMs);
    send(durations, config.durationName(), nowMs);
    flushed.forEach(store::delete);
  }

  private static ResourceMetrics.Builder builder(
      Map<List<Object>, ResourceMetrics.Builder> groups, List<Object> group, Delta d) {
    return groups.computeIfAbsent(
        group,
        g ->
            ResourceMetrics.newBuilder()
                .setResource(d.resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(SCOPE)));
  }

  /** One record per tenant for a metric name: the aggregation topic's key. */
  private void send(Map<List<Object>, ResourceMetrics.Builder> groups, String name, long nowMs) {
    Map<String, ExportMetricsServiceRequest.Builder> byTenant = new LinkedHashMap<>();
    groups.forEach(
        (group, rb) ->
            byTenant
                .computeIfAbsent(
                    (String) group.get(0), t -> ExportMetricsServiceRequest.newBuilder())
                .addResourceMetrics(rb));
    byTenant.forEach(
        (tenant, request) -> {
          RecordHeaders headers = new RecordHeaders();
          if (tenant != null) {
            headers.add(Headers.TENANT, tenant.getBytes(StandardCharsets.UTF_8));
          }
          context.forward(
              new Record<>(
                  SeriesKeys.metric(tenant, name), request.build().toByteArray(), nowMs, headers),
              SINK);
        });
    groups.clear();
  }

  private byte[] encode(Delta d) {
    GenericRecord r = AvroState.SPAN_METRICS_DELTA.newRecord();
    r.put("tenant", d.tenant);
    r.put("resource", ByteBuffer.wrap(d.resource.toByteArray()));
    r.put(
        "attributes",
        ByteBuffer.wrap(
            KeyValueList.newBuilder().addAllValues(d.attributes).build().toByteArray()));
    r.put("calls", d.calls);
    List<Long> buckets = new ArrayList<>(d.buckets.length);
    for (long b : d.buckets) {
      buckets.add(b);
    }
    r.put("bucketCounts", buckets);
    r.put("sum", d.sum);
    r.put("sinceMs", d.sinceMs);
    return AvroState.SPAN_METRICS_DELTA.encode(r);
  }

  @SuppressWarnings("unchecked")
  private static Delta decode(byte[] bytes) {
    GenericRecord r = AvroState.SPAN_METRICS_DELTA.decode(bytes);
    Delta d = new Delta();
    d.tenant = r.get("tenant") == null ? null : r.get("tenant").toString();
    try {
      d.resource = Resource.parseFrom((ByteBuffer) r.get("resource"));
      d.attributes = KeyValueList.parseFrom((ByteBuffer) r.get("attributes")).getValuesList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt span-metrics state", e);
    }
    d.calls = (Long) r.get("calls");
    List<Long> buckets = (List<Long>) r.get("bucketCounts");
    d.buckets = new long[buckets.size()];
    for (int i = 0; i < d.buckets.length; i++) {
      d.buckets[i] = buckets.get(i);
    }
    d.sum = (Double) r.get("sum");
    d.sinceMs = (Long) r.get("sinceMs");
    return d;
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static AnyValue value(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  private static String attribute(List<KeyValue> attributes, String key, String fallback) {
    AnyValue v = value(attributes, key);
    return v == null ? fallback : v.getStringValue();
  }
}
