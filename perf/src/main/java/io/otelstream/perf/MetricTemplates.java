package io.otelstream.perf;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SDK-like metric exports: instances take turns, each sending its cumulative counter {@code
 * http.server.requests} with one point per series ({@code http.route} × {@code user_id}); each
 * export of an instance carries larger totals than its last (export number × a per-series step), so
 * the series stay monotonic as long as an instance's consecutive exports are not in flight together
 * (instances ≥ requests in flight). Active source series: instances × items per request.
 */
final class MetricTemplates implements ExportTemplates {
  /** High half of a placeholder value; the low half is the series' step per export. */
  private static final long VALUE_MARK = 0x7EADBEEFL << 32;

  private final List<byte[]> bodies = new ArrayList<>();
  private final List<TimePatches> times = new ArrayList<>();
  private final List<int[]> valueOffsets = new ArrayList<>();
  private final List<long[]> valueSteps = new ArrayList<>();
  private final AtomicLong exports = new AtomicLong();
  private final int points;

  MetricTemplates(LoadOptions o) {
    this.points = o.itemsPerRequest;
    long start = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < o.instances; i++) {
      byte[] body = request(i, o.itemsPerRequest, start).toByteArray();
      bodies.add(body);
      times.add(TimePatches.find(body));
      findValues(body);
    }
  }

  @Override
  public Body next(SplittableRandom random) {
    long n = exports.getAndIncrement();
    int instance = (int) (n % bodies.size());
    long export = n / bodies.size() + 1;
    byte[] body = bodies.get(instance).clone();
    times.get(instance).apply(body, System.currentTimeMillis() * 1_000_000L);
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int[] offsets = valueOffsets.get(instance);
    long[] steps = valueSteps.get(instance);
    for (int i = 0; i < offsets.length; i++) {
      buf.putLong(offsets[i], export * steps[i]);
    }
    return new Body(body, 0);
  }

  @Override
  public int itemsPerRequest() {
    return points;
  }

  @Override
  public int encodedBytes() {
    return bodies.get(0).length;
  }

  private static ExportMetricsServiceRequest request(int instance, int points, long start) {
    Sum.Builder sum =
        Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (int s = 0; s < points; s++) {
      sum.addDataPoints(
          NumberDataPoint.newBuilder()
              .addAttributes(OtlpAttributes.string("http.route", "/api/r" + (s % 10)))
              .addAttributes(
                  OtlpAttributes.string("http.response.status_code", s % 17 == 0 ? "500" : "200"))
              .addAttributes(OtlpAttributes.string("user_id", "u" + s))
              .setStartTimeUnixNano(start)
              .setTimeUnixNano(TimePatches.BASE)
              .setAsInt(VALUE_MARK | (s % 7 + 1)));
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(OtlpAttributes.string("service.name", "shop-" + instance % 5))
            .addAttributes(OtlpAttributes.string("service.instance.id", "i-" + instance))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource)
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("otelstream-loadgen"))
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("http.server.requests")
                                .setUnit("{request}")
                                .setSum(sum))))
        .build();
  }

  private void findValues(byte[] body) {
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> offsets = new ArrayList<>();
    List<Long> steps = new ArrayList<>();
    for (int i = 0; i + 8 <= body.length; i++) {
      long v = buf.getLong(i);
      if ((v & 0xFFFFFFFF00000000L) == VALUE_MARK) {
        offsets.add(i);
        steps.add(v & 0xFFFFFFFFL);
        i += 7;
      }
    }
    valueOffsets.add(offsets.stream().mapToInt(Integer::intValue).toArray());
    valueSteps.add(steps.stream().mapToLong(Long::longValue).toArray());
  }
}
