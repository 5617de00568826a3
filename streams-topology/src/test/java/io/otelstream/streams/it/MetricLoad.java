package io.otelstream.streams.it;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.schemas.RecordKeys;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Steady metric load as SDKs send it, straight into otlp-metrics: {@code instances} senders (each
 * its own {@code service.instance.id}) export a cumulative counter {@code requests} over five
 * {@code user_id} values every 20 ms, and now and then a sender restarts (a new start time, its
 * counters from zero). The truth is what was counted: the sum over every sender's lifetimes of
 * their last exported values.
 */
final class MetricLoad implements AutoCloseable {
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private final Thread thread;
  private volatile long truth;
  private volatile long restarts;

  MetricLoad(String bootstrap, String topic, int instances, long seed) {
    this(bootstrap, topic, instances, 1, seed);
  }

  /**
   * With {@code metrics} counters ({@code requests}, {@code requests-1}, ...) that all count the
   * same: each one's aggregate must equal the truth. Several names spread over several partitions
   * of the aggregation topic, so over several tasks.
   */
  MetricLoad(String bootstrap, String topic, int instances, int metrics, long seed) {
    thread =
        new Thread(
            () -> {
              Random random = new Random(seed);
              long[][] values = new long[instances][5];
              long[] start = new long[instances];
              long counted = 0;
              try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(bootstrap)) {
                for (int i = 0; i < instances; i++) {
                  start[i] = System.nanoTime();
                }
                while (loading.get()) {
                  for (int i = 0; i < instances; i++) {
                    if (random.nextInt(200) == 0) {
                      start[i] = System.currentTimeMillis() * 1_000_000L + i;
                      values[i] = new long[5];
                      restarts++;
                    }
                    for (int u = 0; u < 5; u++) {
                      int add = random.nextInt(4);
                      values[i][u] += add;
                      counted += add;
                    }
                    Resource resource = resource(i);
                    p.send(
                        new ProducerRecord<>(
                            topic,
                            RecordKeys.resourceKey(resource),
                            request(resource, start[i], values[i], metrics).toByteArray()));
                  }
                  p.flush();
                  truth = counted;
                  Thread.sleep(20);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "metric-load");
    thread.start();
  }

  /** What the senders counted so far (all of it acknowledged by Kafka). */
  long truth() {
    return truth;
  }

  long restarts() {
    return restarts;
  }

  private static Resource resource(int instance) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "shop"))
        .addAttributes(kv("service.instance.id", "i-" + instance))
        .build();
  }

  static String name(int metric) {
    return metric == 0 ? "requests" : "requests-" + metric;
  }

  private static ExportMetricsServiceRequest request(
      Resource r, long start, long[] values, int metrics) {
    Sum.Builder sum =
        Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int u = 0; u < values.length; u++) {
      sum.addDataPoints(
          NumberDataPoint.newBuilder()
              .addAttributes(kv("user_id", "u" + u))
              .setStartTimeUnixNano(start)
              .setTimeUnixNano(now)
              .setAsInt(values[u]));
    }
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (int k = 0; k < metrics; k++) {
      scope.addMetrics(Metric.newBuilder().setName(name(k)).setSum(sum));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(r).addScopeMetrics(scope))
        .build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    loading.set(false);
    thread.join();
  }
}
