package io.otelstream.sinks.mimir;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.sinks.mimir.PrometheusNames.Type;
import org.junit.jupiter.api.Test;

/**
 * Names and labels as the Collector's translator (Prometheus otlptranslator) writes them; the
 * expected values are its own test cases' and the ones a Collector v0.160 exporter wrote into a
 * real Prometheus for the same SDK metrics (issue 20).
 */
class PrometheusNamesTest {
  @Test
  void metricNames() {
    assertThat(PrometheusNames.metric("http.server.duration", "s", Type.HISTOGRAM))
        .isEqualTo("http_server_duration_seconds");
    assertThat(PrometheusNames.metric("http.server.requests", "{request}", Type.MONOTONIC_COUNTER))
        .isEqualTo("http_server_requests_total");
    assertThat(PrometheusNames.metric("network.io", "By", Type.MONOTONIC_COUNTER))
        .isEqualTo("network_io_bytes_total");
    // the unit is not repeated when the name holds it, anywhere
    assertThat(PrometheusNames.metric("app.bytes.sent", "By", Type.MONOTONIC_COUNTER))
        .isEqualTo("app_bytes_sent_total");
    assertThat(PrometheusNames.metric("throughput", "By/s", Type.GAUGE))
        .isEqualTo("throughput_bytes_per_second");
    assertThat(PrometheusNames.metric("rate", "{request}/s", Type.GAUGE))
        .isEqualTo("rate_per_second");
    assertThat(PrometheusNames.metric("cpu.utilization", "1", Type.GAUGE))
        .isEqualTo("cpu_utilization_ratio");
    // ratio only for gauges
    assertThat(PrometheusNames.metric("queue.fill", "1", Type.NON_MONOTONIC_COUNTER))
        .isEqualTo("queue_fill");
    // total moves to the end, words split at underscores too
    assertThat(PrometheusNames.metric("requests_total", "", Type.MONOTONIC_COUNTER))
        .isEqualTo("requests_total");
    assertThat(PrometheusNames.metric("total.requests", "", Type.MONOTONIC_COUNTER))
        .isEqualTo("requests_total");
    assertThat(PrometheusNames.metric("latency_seconds", "s", Type.HISTOGRAM))
        .isEqualTo("latency_seconds");
    assertThat(PrometheusNames.metric("__weird__name__", "", Type.GAUGE)).isEqualTo("weird_name");
    assertThat(PrometheusNames.metric("2xx.responses", "", Type.GAUGE)).isEqualTo("_2xx_responses");
    assertThat(PrometheusNames.metric("system.disk.io", "KiBy", Type.MONOTONIC_COUNTER))
        .isEqualTo("system_disk_io_kibibytes_total");
    assertThat(PrometheusNames.metric("temp", "Cel", Type.GAUGE)).isEqualTo("temp_celsius");
    assertThat(PrometheusNames.metric("odd", "m/mo", Type.GAUGE)).isEqualTo("odd_meters_per_month");
    assertThat(PrometheusNames.metric("ns:metric", "", Type.GAUGE)).isEqualTo("ns:metric");
    assertThat(PrometheusNames.metric("...", "", Type.GAUGE)).isEmpty();
  }

  @Test
  void labels() {
    assertThat(PrometheusNames.label("http.route")).isEqualTo("http_route");
    assertThat(PrometheusNames.label("2xx.count")).isEqualTo("key_2xx_count");
    assertThat(PrometheusNames.label("_private")).isEqualTo("key_private");
    assertThat(PrometheusNames.label("__reserved")).isEqualTo("__reserved");
    assertThat(PrometheusNames.label("k8s.pod-name")).isEqualTo("k8s_pod_name");
    assertThat(PrometheusNames.label("a..b")).isEqualTo("a__b"); // no collapsing in labels
    assertThat(PrometheusNames.label("größe")).isEqualTo("gr__e");
  }

  @Test
  void numbersAsGoFormatsThem() {
    assertThat(PrometheusNames.format(0.25)).isEqualTo("0.25");
    assertThat(PrometheusNames.format(1e-5)).isEqualTo("0.00001");
    assertThat(PrometheusNames.format(1000000)).isEqualTo("1000000");
    assertThat(PrometheusNames.format(5.0)).isEqualTo("5");
    assertThat(PrometheusNames.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }
}
