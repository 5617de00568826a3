package io.otelstream.sinks.mimir;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import io.otelstream.sinks.http.HttpBackend;
import io.otelstream.sinks.http.OtlpHttpExporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus remote write 1.0 (WriteRequest protobuf, snappy block compression) or OTLP/HTTP; one
 * write per tenant.
 */
public final class MimirSinkTask extends BatchingSinkTask<MimirSinkSettings> {
  private static final Map<String, String> HEADERS =
      Map.of("X-Prometheus-Remote-Write-Version", "0.1.0");
  private HttpBackend backend;
  private OtlpHttpExporter otlp;
  private PrometheusTranslator.Options translation;

  @Override
  protected MimirSinkSettings settings(Map<String, String> props) {
    return new MimirSinkSettings(props);
  }

  @Override
  protected void open(MimirSinkSettings s) {
    if (s.otlp()) {
      otlp = new OtlpHttpExporter(s, this::countDropped);
    } else {
      backend = new HttpBackend(s);
      translation = s.translation();
    }
  }

  @Override
  protected void send(List<Item> batch) throws BackendException {
    if (otlp != null) {
      otlp.export(batch);
      return;
    }
    Map<String, PrometheusTranslator> byTenant = new LinkedHashMap<>();
    for (Item item : batch) {
      byTenant
          .computeIfAbsent(item.tenant(), t -> new PrometheusTranslator(translation))
          .add((ExportMetricsServiceRequest) item.message());
    }
    for (Map.Entry<String, PrometheusTranslator> e : byTenant.entrySet()) {
      e.getValue().dropped.forEach(this::countDropped);
      backend.postSnappy(e.getValue().build().toByteArray(), HEADERS, e.getKey());
    }
  }
}
