package io.otelstream.sinks.loki;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import io.otelstream.sinks.http.HttpBackend;
import io.otelstream.sinks.http.OtlpHttpExporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes log batches to Loki, one push per tenant: PushRequest protobuf with snappy block
 * compression, or OTLP/HTTP.
 */
public final class LokiSinkTask extends BatchingSinkTask<LokiSinkSettings> {
  private LokiSinkSettings settings;
  private HttpBackend backend;
  private OtlpHttpExporter otlp;

  @Override
  protected LokiSinkSettings settings(Map<String, String> props) {
    return new LokiSinkSettings(props);
  }

  @Override
  protected void open(LokiSinkSettings s) {
    settings = s;
    if (settings.otlp()) {
      otlp = new OtlpHttpExporter(settings, this::countDropped);
    } else {
      backend = new HttpBackend(settings);
    }
  }

  @Override
  protected void send(List<Item> batch) throws BackendException {
    if (otlp != null) {
      otlp.export(batch);
      return;
    }
    Map<String, LokiStreams> byTenant = new LinkedHashMap<>();
    for (Item item : batch) {
      byTenant
          .computeIfAbsent(item.tenant(), t -> new LokiStreams(settings.labelAttributes()))
          .add((ExportLogsServiceRequest) item.message());
    }
    for (Map.Entry<String, LokiStreams> e : byTenant.entrySet()) {
      backend.postSnappy(e.getValue().build().toByteArray(), Map.of(), e.getKey());
    }
  }
}
