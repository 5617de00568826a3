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
import io.otelstream.schemas.RecordKeys;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pre-fills otlp-metrics the way the edge writes SDK exports: per export round, one record per
 * instance (its own {@code service.instance.id}) holding a cumulative counter {@code
 * http.server.requests} with one point per series ({@code user_id} × 10 {@code http.route}s).
 * Distinct source series: INSTANCES × SERIES; points: that × EXPORTS. Usage: MetricFill BOOTSTRAP
 * TOPIC INSTANCES SERIES_PER_INSTANCE EXPORTS
 */
public final class MetricFill {
  private MetricFill() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int instances = Integer.parseInt(args[2]);
    int series = Integer.parseInt(args[3]);
    int exports = Integer.parseInt(args[4]);
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers", bootstrap,
            "acks", "all",
            "enable.idempotence", "true",
            "compression.type", "snappy", // the edge's
            "linger.ms", "10",
            "batch.size", Integer.toString(256 * 1024));
    long start = System.nanoTime();
    long bytes = 0;
    long startTime = System.currentTimeMillis() * 1_000_000L;
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int e = 1; e <= exports; e++) {
        long now = startTime + e * 10_000_000_000L;
        for (int i = 0; i < instances; i++) {
          Resource resource =
              Resource.newBuilder()
                  .addAttributes(OtlpAttributes.string("service.name", "bench"))
                  .addAttributes(OtlpAttributes.string("service.instance.id", "i-" + i))
                  .build();
          Sum.Builder sum =
              Sum.newBuilder()
                  .setIsMonotonic(true)
                  .setAggregationTemporality(
                      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (int s = 0; s < series; s++) {
            sum.addDataPoints(
                NumberDataPoint.newBuilder()
                    .addAttributes(OtlpAttributes.string("http.route", "/r" + (s % 10)))
                    .addAttributes(OtlpAttributes.string("user_id", "u" + s))
                    .setStartTimeUnixNano(startTime)
                    .setTimeUnixNano(now)
                    .setAsInt((long) e * (s % 7 + 1)));
          }
          byte[] value =
              ExportMetricsServiceRequest.newBuilder()
                  .addResourceMetrics(
                      ResourceMetrics.newBuilder()
                          .setResource(resource)
                          .addScopeMetrics(
                              ScopeMetrics.newBuilder()
                                  .setScope(InstrumentationScope.newBuilder().setName("bench"))
                                  .addMetrics(
                                      Metric.newBuilder()
                                          .setName("http.server.requests")
                                          .setSum(sum))))
                  .build()
                  .toByteArray();
          bytes += value.length;
          p.send(new ProducerRecord<>(topic, RecordKeys.resourceKey(resource), value));
        }
      }
      p.flush();
    }
    long points = (long) instances * series * exports;
    System.out.printf(
        "filled %s: %d points (%d source series × %d exports), %.1f MB, in %.1f s%n",
        topic,
        points,
        (long) instances * series,
        exports,
        bytes / 1e6,
        (System.nanoTime() - start) / 1e9);
  }
}
