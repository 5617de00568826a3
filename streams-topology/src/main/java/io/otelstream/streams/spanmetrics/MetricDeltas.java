package io.otelstream.streams.spanmetrics;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.schemas.AvroState;
import io.otelstream.schemas.Headers;
import io.otelstream.streams.aggregation.SeriesKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts of metrics derived from spans, kept per series in a tail-sampling task's changelogged
 * store (so they commit with the decisions that made them) and written every flush as delta points
 * to the metrics aggregation topic, keyed by tenant and metric name; there the aggregation stage
 * adds every task's deltas into one cumulative series.
 */
public final class MetricDeltas {
  public static final String SINK = "trace-metrics-sink";
  public static final String STORE = "tm-deltas";
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder()
          .setName(io.otelstream.streams.aggregation.PointMath.TASK_DELTAS_SCOPE)
          .build();
  private static final int POINTS_PER_RECORD = 1000;

  /** A metric's shape: a monotonic counter ({@code bounds} null) or an explicit histogram. */
  public record Instrument(String name, String unit, double[] bounds) {
    /** The store key's start: the name, then a zero byte. */
    byte[] keyPrefix() {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      return Arrays.copyOf(n, n.length + 1);
    }
  }

  /**
   * A label set of span-derived metrics: tenant, resource and attributes, hashed once and shared by
   * the instruments that count it.
   */
  public static final class Series {
    final String tenant;
    final Resource resource;
    final List<KeyValue> attributes;
    final byte[] hash;

    private Series(String tenant, Resource resource, List<KeyValue> attributes) {
      this.tenant = tenant;
      this.resource = resource;
      this.attributes = attributes;
      this.hash =
          SeriesKeys.series(tenant, resource.getAttributesList(), SCOPE, NO_METRIC, attributes);
    }
  }

  private static final Metric NO_METRIC = Metric.getDefaultInstance();

  /** One series' counts since the last flush. */
  private static final class Delta {
    String tenant;
    Resource resource;
    ByteBuffer resourceBytes; // encoded once: the state is rewritten for every trace
    ByteBuffer attributeBytes;
    String name;
    String unit;
    boolean histogram;
    List<KeyValue> attributes;
    long count;
    double[] bounds = new double[0];
    long[] buckets = new long[0];
    double sum;
    List<Exemplar> exemplars = new ArrayList<>();
    long sinceMs;
  }

  private final KeyValueStore<Bytes, byte[]> store;
  private final ProcessorContext<byte[], byte[]> context;
  private final int maxExemplars;
  private final Map<Bytes, Delta> pending = new LinkedHashMap<>();
  // What the store holds since the last flush, decoded: a series counted by every trace is read
  // from the store once, not once per trace. Rebuilt from the store after a restart.
  private final Map<Bytes, Delta> live = new java.util.HashMap<>();
  private final Map<Instrument, byte[]> prefixes = new java.util.HashMap<>();

  /**
   * @param maxExemplars exemplars a histogram series keeps between flushes (the newest, one per
   *     bucket first)
   */
  public MetricDeltas(
      KeyValueStore<Bytes, byte[]> store,
      ProcessorContext<byte[], byte[]> context,
      int maxExemplars) {
    this.store = store;
    this.context = context;
    this.maxExemplars = maxExemplars;
  }

  /** The label set; one per distinct set of dimensions a span or edge yields. */
  public Series series(String tenant, Resource resource, List<KeyValue> attributes) {
    return new Series(tenant, resource, attributes);
  }

  /** Adds {@code n} to a counter series. */
  public void count(Instrument i, Series series, long n) {
    pending(i, series).count += n;
  }

  /** Adds one observation to a histogram series, with an exemplar when not null. */
  public void observe(Instrument i, Series series, double value, Exemplar exemplar) {
    Delta d = pending(i, series);
    d.count++;
    d.sum += value;
    int bucket = bucket(d.bounds, value);
    d.buckets[bucket]++;
    if (exemplar != null && maxExemplars > 0) {
      addExemplar(d, exemplar);
    }
  }

  private static int bucket(double[] bounds, double value) {
    int b = Arrays.binarySearch(bounds, value);
    return b >= 0 ? b : -b - 1;
  }

  /** Keeps the newest exemplar of each bucket, and at most {@code maxExemplars} in all. */
  private void addExemplar(Delta d, Exemplar e) {
    int bucket = bucket(d.bounds, e.getAsDouble());
    d.exemplars.removeIf(x -> bucket(d.bounds, x.getAsDouble()) == bucket);
    d.exemplars.add(e);
    while (d.exemplars.size() > maxExemplars) {
      d.exemplars.remove(0);
    }
  }

  private Delta pending(Instrument i, Series series) {
    byte[] prefix = prefixes.computeIfAbsent(i, Instrument::keyPrefix);
    byte[] k = Arrays.copyOf(prefix, prefix.length + series.hash.length);
    System.arraycopy(series.hash, 0, k, prefix.length, series.hash.length);
    Bytes key = Bytes.wrap(k);
    Delta d = pending.get(key);
    if (d == null) {
      d = new Delta();
      d.tenant = series.tenant;
      d.resource = series.resource;
      d.name = i.name();
      d.unit = i.unit();
      d.histogram = i.bounds() != null;
      d.attributes = series.attributes;
      if (d.histogram) {
        d.bounds = i.bounds();
        d.buckets = new long[d.bounds.length + 1];
      }
      d.sinceMs = context.currentSystemTimeMs();
      pending.put(key, d);
    }
    return d;
  }

  /** Adds what was counted since the last call to the stored counts (once per trace). */
  public void commit() {
    pending.forEach(
        (key, d) -> {
          Delta s = live.get(key);
          if (s == null) {
            byte[] stored = store.get(key);
            if (stored == null) {
              live.put(key, d);
              store.put(key, encode(d));
              return;
            }
            s = decode(stored);
            live.put(key, s);
          }
          s.count += d.count;
          s.sum += d.sum;
          for (int i = 0; i < s.buckets.length && i < d.buckets.length; i++) {
            s.buckets[i] += d.buckets[i];
          }
          for (Exemplar e : d.exemplars) {
            addExemplar(s, e);
          }
          store.put(key, encode(s));
        });
    pending.clear();
  }

  /** Writes every series' counts since the last flush as delta points, then forgets them. */
  public void flush(long nowMs) {
    // metric name -> (tenant, resource) -> resource metrics
    Map<String, Map<List<Object>, ResourceMetrics.Builder>> byName = new LinkedHashMap<>();
    List<Bytes> flushed = new ArrayList<>();
    int points = 0;
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        flushed.add(kv.key);
        Delta d = decode(kv.value);
        byName
            .computeIfAbsent(d.name, n -> new LinkedHashMap<>())
            .computeIfAbsent(
                Arrays.asList(d.tenant, d.resource.toByteString()),
                g ->
                    ResourceMetrics.newBuilder()
                        .setResource(d.resource)
                        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(SCOPE)))
            .getScopeMetricsBuilder(0)
            .addMetrics(point(d, d.sinceMs * 1_000_000L, nowMs * 1_000_000L));
        if (++points >= POINTS_PER_RECORD) {
          send(byName, nowMs);
          points = 0;
        }
      }
    }
    send(byName, nowMs);
    flushed.forEach(store::delete);
    live.clear();
  }

  private static Metric point(Delta d, long start, long end) {
    var delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    Metric.Builder m = Metric.newBuilder().setName(d.name).setUnit(d.unit);
    if (!d.histogram) {
      return m.setSum(
              Sum.newBuilder()
                  .setIsMonotonic(true)
                  .setAggregationTemporality(delta)
                  .addDataPoints(
                      NumberDataPoint.newBuilder()
                          .addAllAttributes(d.attributes)
                          .setStartTimeUnixNano(start)
                          .setTimeUnixNano(end)
                          .setAsInt(d.count)))
          .build();
    }
    HistogramDataPoint.Builder p =
        HistogramDataPoint.newBuilder()
            .addAllAttributes(d.attributes)
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(end)
            .setCount(d.count)
            .setSum(d.sum)
            .addAllExemplars(d.exemplars);
    for (double b : d.bounds) {
      p.addExplicitBounds(b);
    }
    for (long c : d.buckets) {
      p.addBucketCounts(c);
    }
    return m.setHistogram(Histogram.newBuilder().setAggregationTemporality(delta).addDataPoints(p))
        .build();
  }

  /** One record per tenant and metric name: the aggregation topic's key. */
  private void send(Map<String, Map<List<Object>, ResourceMetrics.Builder>> byName, long nowMs) {
    byName.forEach(
        (name, groups) -> {
          Map<String, ExportMetricsServiceRequest.Builder> byTenant = new LinkedHashMap<>();
          groups.forEach(
              (group, rb) ->
                  byTenant
                      .computeIfAbsent(
                          (String) group.get(0), t -> ExportMetricsServiceRequest.newBuilder())
                      .addResourceMetrics(rb));
          byTenant.forEach(
              (tenant, request) -> {
                org.apache.kafka.common.header.Headers headers = Headers.withTenant(tenant);
                context.forward(
                    new Record<>(
                        SeriesKeys.metric(tenant, name),
                        request.build().toByteArray(),
                        nowMs,
                        headers),
                    SINK);
              });
        });
    byName.clear();
  }

  private static byte[] encode(Delta d) {
    if (d.resourceBytes == null) {
      d.resourceBytes = ByteBuffer.wrap(d.resource.toByteArray());
      d.attributeBytes =
          ByteBuffer.wrap(
              KeyValueList.newBuilder().addAllValues(d.attributes).build().toByteArray());
    }
    GenericRecord r = AvroState.TRACE_METRIC_DELTA.newRecord();
    r.put("tenant", d.tenant);
    r.put("resource", d.resourceBytes.duplicate());
    r.put("name", d.name);
    r.put("unit", d.unit);
    r.put("histogram", d.histogram);
    r.put("attributes", d.attributeBytes.duplicate());
    r.put("count", d.count);
    List<Double> bounds = new ArrayList<>(d.bounds.length);
    for (double b : d.bounds) {
      bounds.add(b);
    }
    r.put("bounds", bounds);
    List<Long> buckets = new ArrayList<>(d.buckets.length);
    for (long b : d.buckets) {
      buckets.add(b);
    }
    r.put("bucketCounts", buckets);
    r.put("sum", d.sum);
    r.put(
        "exemplars",
        ByteBuffer.wrap(
            HistogramDataPoint.newBuilder().addAllExemplars(d.exemplars).build().toByteArray()));
    r.put("sinceMs", d.sinceMs);
    return AvroState.TRACE_METRIC_DELTA.encode(r);
  }

  @SuppressWarnings("unchecked")
  private static Delta decode(byte[] bytes) {
    GenericRecord r = AvroState.TRACE_METRIC_DELTA.decode(bytes);
    Delta d = new Delta();
    d.tenant = r.get("tenant") == null ? null : r.get("tenant").toString();
    d.name = r.get("name").toString();
    d.unit = r.get("unit").toString();
    d.histogram = (Boolean) r.get("histogram");
    try {
      d.resource = Resource.parseFrom((ByteBuffer) r.get("resource"));
      d.attributes = KeyValueList.parseFrom((ByteBuffer) r.get("attributes")).getValuesList();
      d.exemplars =
          new ArrayList<>(
              HistogramDataPoint.parseFrom((ByteBuffer) r.get("exemplars")).getExemplarsList());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt span-derived metric state", e);
    }
    d.count = (Long) r.get("count");
    List<Double> bounds = (List<Double>) r.get("bounds");
    d.bounds = new double[bounds.size()];
    for (int i = 0; i < d.bounds.length; i++) {
      d.bounds[i] = bounds.get(i);
    }
    List<Long> buckets = (List<Long>) r.get("bucketCounts");
    d.buckets = new long[buckets.size()];
    for (int i = 0; i < d.buckets.length; i++) {
      d.buckets[i] = buckets.get(i);
    }
    d.sum = (Double) r.get("sum");
    d.sinceMs = (Long) r.get("sinceMs");
    return d;
  }
}
