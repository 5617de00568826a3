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
}
