package io.otelstream.sinks.tempo;

import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import io.otelstream.sinks.SinkSettings;
import io.otelstream.sinks.http.HttpBackend;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends kept traces to Tempo over OTLP/gRPC (default) or OTLP/HTTP. The record values are export
 * requests; concatenated, their repeated fields merge, so a batch is one request built from the
 * bytes as they are. One request per tenant in the batch.
 */
public final class TempoSinkTask extends BatchingSinkTask {
  private HttpBackend http;
  private GrpcTraceBackend grpc;

  @Override
  protected SinkSettings settings(Map<String, String> props) {
    return new TempoSinkSettings(props);
  }

  @Override
  protected void open(SinkSettings settings) {
    TempoSinkSettings s = (TempoSinkSettings) settings;
    if (s.grpc()) {
      grpc = new GrpcTraceBackend(s);
    } else {
      http = new HttpBackend(s);
    }
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
      if (grpc != null) {
        grpc.export(e.getValue().toByteArray(), tenant);
      } else {
        http.post(e.getValue().toByteArray(), "application/x-protobuf", Map.of(), tenant);
      }
    }
  }

  @Override
  public void stop() {
    if (grpc != null) {
      grpc.close();
    }
  }
}
