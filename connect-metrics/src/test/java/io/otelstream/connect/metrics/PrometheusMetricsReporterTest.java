package io.otelstream.connect.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class PrometheusMetricsReporterTest {

  @Test
  void servesSinkCountersGaugesAndHistogramBucketsUnderPrometheusNames() throws Exception {
    PrometheusMetricsReporter reporter = new PrometheusMetricsReporter();
    reporter.configure(
        Map.of(PrometheusMetricsReporter.PORT, "0", PrometheusMetricsReporter.HOST, "127.0.0.1"));
    try (Metrics metrics = new Metrics(new MetricConfig(), List.of(reporter), Time.SYSTEM)) {
      Map<String, String> tags =
          new LinkedHashMap<>(Map.of("connector", "c1", "task", "0", "signal", "traces"));
      Sensor sent = metrics.sensor("sent");
      sent.add(metrics.metricName("records-sent-total", "plugins", tags), new CumulativeSum());
      sent.record(7);
      Map<String, String> bucketTags = new LinkedHashMap<>(tags);
      bucketTags.put("le", "0.5");
      Sensor bucket = metrics.sensor("bucket");
      bucket.add(
          metrics.metricName("backend-latency-seconds-bucket", "plugins", bucketTags),
          new CumulativeSum());
      bucket.record(3);
      Map<String, String> infTags = new LinkedHashMap<>(tags);
      infTags.put("le", "+Inf");
      Sensor inf = metrics.sensor("inf");
      inf.add(
          metrics.metricName("backend-latency-seconds-bucket", "plugins", infTags),
          new CumulativeSum());
      inf.record(5);
      Sensor sum = metrics.sensor("sum");
      sum.add(
          metrics.metricName("backend-latency-seconds-sum", "plugins", tags), new CumulativeSum());
      sum.record(1.25);
      metrics.addMetric(
          metrics.metricName("backend-consecutive-failures", "plugins", tags),
          (Measurable) (config, now) -> 4);
      metrics.addMetric(
          metrics.metricName("broker-count", "worker-wide"), (Measurable) (config, now) -> 1);

      String body = scrape();

      assertThat(body)
          .contains(
              "otelstream_sink_records_sent_total{connector=\"c1\",signal=\"traces\",task=\"0\"} 7.0")
          .contains(
              "otelstream_sink_backend_latency_seconds_bucket{connector=\"c1\",le=\"0.5\",signal=\"traces\",task=\"0\"} 3.0")
          .contains(
              "otelstream_sink_backend_consecutive_failures{connector=\"c1\",signal=\"traces\",task=\"0\"} 4.0")
          .doesNotContain("broker_count");
    }
  }

  @Test
  void readyOnceTheWorkerHasJoinedItsGroupAndIsNotRebalancing() throws Exception {
    PrometheusMetricsReporter reporter = new PrometheusMetricsReporter();
    reporter.configure(
        Map.of(PrometheusMetricsReporter.PORT, "0", PrometheusMetricsReporter.HOST, "127.0.0.1"));
    assertThat(status("/health/live")).isEqualTo(200);
    java.util.concurrent.atomic.AtomicBoolean rebalancing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    try (Metrics metrics = new Metrics(new MetricConfig(), List.of(reporter), Time.SYSTEM)) {
      assertThat(status("/health/ready")).as("before the worker joined").isEqualTo(503);
      metrics.addMetric(
          metrics.metricName("rebalancing", "connect-worker-rebalance-metrics"),
          (org.apache.kafka.common.metrics.Gauge<Boolean>) (config, now) -> rebalancing.get());
      assertThat(status("/health/ready")).as("while rebalancing").isEqualTo(503);
      rebalancing.set(false);
      assertThat(status("/health/ready")).as("running").isEqualTo(200);
    }
    assertThat(status("/health/ready")).as("after the worker left").isEqualTo(503);
  }

  private static int status(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + PrometheusMetricsReporter.port() + path))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String scrape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + PrometheusMetricsReporter.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
