package io.otelstream.sinks.http;

import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import io.otelstream.sinks.SinkSettings;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends batches as OTLP/HTTP protobuf. The record values are export requests; concatenated, their
 * repeated fields merge, so a batch is one request built from the bytes as they are. One request
 * per tenant in the batch.
 */
public abstract class OtlpHttpSinkTask extends BatchingSinkTask {
  private HttpBackend backend;

  @Override
  protected void open(SinkSettings settings) {
    backend = new HttpBackend((HttpSinkSettings) settings);
  }

  @Override
  protected void send(List<Item> batch) throws BackendException {
    Map<String, ByteArrayOutputStream> byTenant = new LinkedHashMap<>();
    for (Item item : batch) {
      byTenant
          .computeIfAbsent(tenant(item), t -> new ByteArrayOutputStream())
          .writeBytes((byte[]) item.record().value());
    }
    for (Map.Entry<String, ByteArrayOutputStream> e : byTenant.entrySet()) {
      String tenant = e.getKey().isEmpty() ? null : e.getKey();
      backend.post(e.getValue().toByteArray(), "application/x-protobuf", Map.of(), tenant);
    }
  }
}
