package io.otelstream.sinks;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelstream.schemas.prometheus.Label;
import io.otelstream.schemas.prometheus.TimeSeries;
import io.otelstream.schemas.prometheus.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/** The contract for remote write; the receiver checks the remote-write 1.0 headers and encoding. */
class MimirContractIT extends SinkContract {
  @Override
  String connectorClass() {
    return "io.otelstream.sinks.mimir.MimirSinkConnector";
  }

  @Override
  String signal() {
    return "metrics";
  }

  @Override
  ContractBackend backend() throws Exception {
    return new Receiver(
        "/api/v1/push",
        (ex, body) -> {
          if (!"snappy".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))
              || !"0.1.0"
                  .equals(ex.getRequestHeaders().getFirst("X-Prometheus-Remote-Write-Version"))) {
            throw new IllegalArgumentException("not a remote write 1.0 request");
          }
          List<String> items = new ArrayList<>();
          for (TimeSeries ts :
              WriteRequest.parseFrom(Snappy.uncompress(body)).getTimeseriesList()) {
            for (Label l : ts.getLabelsList()) {
              if (l.getName().equals("item")) {
                items.add(l.getValue());
              }
            }
          }
          return items;
        });
  }

  @Override
  Map<String, String> badBackendSettings() {
    return Map.of("backend.url", "not a url", "mimir.protocol", "carrier-pigeon");
  }

  @Override
  String encoding() {
    return "snappy";
  }

  @Override
  byte[] record(String name) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("contract.gauge")
                                .setGauge(
                                    Gauge.newBuilder()
                                        .addDataPoints(
                                            NumberDataPoint.newBuilder()
                                                .setTimeUnixNano(
                                                    System.currentTimeMillis() * 1_000_000L)
                                                .setAsDouble(1)
                                                .addAttributes(
                                                    KeyValue.newBuilder()
                                                        .setKey("item")
                                                        .setValue(
                                                            AnyValue.newBuilder()
                                                                .setStringValue(name))))))))
        .build()
        .toByteArray();
  }
}
