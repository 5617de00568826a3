package io.otelstream.sinks.mimir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Name normalisation of the OpenTelemetry Prometheus compatibility specification. */
class PrometheusNamesTest {
  @Test
  void unitThenTypeSuffix() {
    assertThat(PrometheusNames.metric("http.server.duration", "s", false))
        .isEqualTo("http_server_duration_seconds");
    assertThat(PrometheusNames.metric("http.server.requests", "{request}", true))
        .isEqualTo("http_server_requests_total");
    assertThat(PrometheusNames.metric("network.io", "By", true))
        .isEqualTo("network_io_bytes_total");
    assertThat(PrometheusNames.metric("throughput", "By/s", false))
        .isEqualTo("throughput_bytes_per_second");
    assertThat(PrometheusNames.metric("cpu.utilization", "1", false))
        .isEqualTo("cpu_utilization_ratio");
    assertThat(PrometheusNames.metric("requests_total", "", true)).isEqualTo("requests_total");
    assertThat(PrometheusNames.metric("latency_seconds", "s", false)).isEqualTo("latency_seconds");
  }

  @Test
  void labelsAreSanitised() {
    assertThat(PrometheusNames.label("http.route")).isEqualTo("http_route");
    assertThat(PrometheusNames.label("2xx")).isEqualTo("_2xx");
    assertThat(PrometheusNames.label("k8s.pod-name")).isEqualTo("k8s_pod_name");
  }
}
