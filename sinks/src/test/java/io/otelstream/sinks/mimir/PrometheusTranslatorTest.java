package io.otelstream.sinks.mimir;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.otelstream.schemas.prometheus.TimeSeries;
import org.junit.jupiter.api.Test;

class PrometheusTranslatorTest {
  private static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;

  @Test
  void aPointWithoutRecordedValueIsAStalenessMarker() {
    Metric counter =
        Metric.newBuilder()
            .setName("requests")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(CUMULATIVE)
                    .addDataPoints(
                        NumberDataPoint.newBuilder().setTimeUnixNano(2_000_000L).setFlags(1)))
            .build();
    Metric histogram =
        Metric.newBuilder()
            .setName("latency")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(CUMULATIVE)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(2_000_000L)
                            .setFlags(1)
                            .addExplicitBounds(1.0)
                            .addBucketCounts(1)
                            .addBucketCounts(2)
                            .setCount(3)
                            .setSum(1.5)))
            .build();
    PrometheusTranslator t = new PrometheusTranslator();
    t.add(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder().addMetrics(counter).addMetrics(histogram)))
            .build());
    var series = t.build().getTimeseriesList();
    assertThat(series).hasSize(5); // requests_total, latency_bucket ×2, latency_sum, latency_count
    for (TimeSeries ts : series) {
      assertThat(Double.doubleToRawLongBits(ts.getSamples(0).getValue()))
          .as("%s", ts.getLabelsList())
          .isEqualTo(0x7ff0000000000002L);
      assertThat(ts.getSamples(0).getTimestamp()).isEqualTo(2);
    }
  }

  @Test
  void exemplarsGoOnTheBucketTheirValueFallsInWithHexTraceAndSpanIds() {
    HistogramDataPoint.Builder p =
        HistogramDataPoint.newBuilder()
            .setTimeUnixNano(5_000_000L)
            .addExplicitBounds(10.0)
            .addExplicitBounds(100.0)
            .addBucketCounts(1)
            .addBucketCounts(1)
            .addBucketCounts(0)
            .setCount(2)
            .setSum(60);
    p.addExemplars(
        io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
            .setAsDouble(50)
            .setTimeUnixNano(4_000_000L)
            .setTraceId(
                com.google.protobuf.ByteString.copyFrom(
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
            .setSpanId(
                com.google.protobuf.ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 7})));
    Metric histogram =
        Metric.newBuilder()
            .setName("latency")
            .setHistogram(
                Histogram.newBuilder().setAggregationTemporality(CUMULATIVE).addDataPoints(p))
            .build();
    PrometheusTranslator t = new PrometheusTranslator();
    t.add(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(histogram)))
            .build());
    var withExemplars =
        t.build().getTimeseriesList().stream().filter(ts -> ts.getExemplarsCount() > 0).toList();
    assertThat(withExemplars).hasSize(1);
    assertThat(withExemplars.get(0).getLabelsList())
        .anySatisfy(
            l -> {
              assertThat(l.getName()).isEqualTo("le");
              assertThat(l.getValue()).isEqualTo("100");
            });
    var e = withExemplars.get(0).getExemplars(0);
    assertThat(e.getValue()).isEqualTo(50);
    assertThat(e.getTimestamp()).isEqualTo(4);
    assertThat(e.getLabelsList())
        .extracting(l -> l.getName() + "=" + l.getValue())
        .containsExactly("trace_id=0102030405060708090a0b0c0d0e0f10", "span_id=0000000000000007");
  }

  @Test
  void resourceToTelemetryAndExternalLabelsAsTheCollectorsOptions() {
    var kv =
        (java.util.function.BiFunction<String, String, io.opentelemetry.proto.common.v1.KeyValue>)
            (k, v) ->
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey(k)
                    .setValue(
                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(v))
                    .build();
    ExportMetricsServiceRequest request =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(kv.apply("service.name", "api"))
                            .addAttributes(kv.apply("host.name", "h1"))
                            .addAttributes(kv.apply("region", "from-resource")))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("up")
                                    .setGauge(
                                        io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder()
                                                    .setTimeUnixNano(2_000_000L)
                                                    .setAsInt(1)
                                                    .addAttributes(kv.apply("region", "from-point"))
                                                    .addAttributes(kv.apply("cluster", "mine")))))))
            .build();
    PrometheusTranslator t =
        new PrometheusTranslator(
            new PrometheusTranslator.Options(
                true, true, java.util.Map.of("cluster", "external", "env", "prod")));
    t.add(request);
    TimeSeries up =
        t.build().getTimeseriesList().stream()
            .filter(ts -> ts.getLabelsList().stream().anyMatch(l -> l.getValue().equals("up")))
            .findFirst()
            .orElseThrow();
    java.util.Map<String, String> labels = new java.util.TreeMap<>();
    up.getLabelsList().forEach(l -> labels.put(l.getName(), l.getValue()));
    assertThat(labels)
        .containsEntry("host_name", "h1") // a resource attribute on the series
        .containsEntry("service_name", "api")
        .containsEntry("job", "api")
        .containsEntry("region", "from-point") // the point's own attribute wins
        .containsEntry("cluster", "mine") // an attribute wins over an external label
        .containsEntry("env", "prod");
  }
}
