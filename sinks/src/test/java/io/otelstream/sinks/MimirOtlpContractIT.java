package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract for Mimir's OTLP endpoint: OTLP/HTTP protobuf to /otlp/v1/metrics, decoded with the
 * real OTLP protos; each data point's "item" attribute names it.
 */
class MimirOtlpContractIT extends MimirContractIT {
  @Override
  ContractBackend backend() throws Exception {
    return new Receiver(
        "/otlp/v1/metrics",
        (ex, body) -> {
          if (!"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
            throw new IllegalArgumentException("unsupported content type");
          }
          List<String> items = new ArrayList<>();
          ExportMetricsServiceRequest.parseFrom(body)
              .getResourceMetricsList()
              .forEach(
                  rm ->
                      rm.getScopeMetricsList()
                          .forEach(
                              sm ->
                                  sm.getMetricsList()
                                      .forEach(
                                          m ->
                                              m.getGauge()
                                                  .getDataPointsList()
                                                  .forEach(
                                                      p ->
                                                          items.add(
                                                              p.getAttributes(0)
                                                                  .getValue()
                                                                  .getStringValue())))));
          return items;
        });
  }

  @Override
  String encoding() {
    return "gzip";
  }

  @Override
  String extraConfig() {
    return ", \"mimir.protocol\": \"otlp\"";
  }

  @Test
  void aUrlForTheOtherProtocolIsReportedOnBackendUrl() throws Exception {
    var r =
        connect.put(
            "/connector-plugins/MimirSinkConnector/config/validate",
            """
            {"name": "v", "connector.class": "%s", "topics": "x", "otlp.signal": "metrics",
             "mimir.protocol": "otlp", "backend.url": "http://mimir:9009/api/v1/push"}
            """
                .formatted(connectorClass()));
    assertThat(r.body())
        .contains("\"error_count\":1")
        .contains("is the /api/v1/push endpoint but mimir.protocol is otlp");
  }
}
