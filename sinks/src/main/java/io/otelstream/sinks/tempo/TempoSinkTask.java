package io.otelstream.sinks.tempo;

import io.otelstream.schemas.Signal;
import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import io.otelstream.sinks.OtlpRequests;
import io.otelstream.sinks.http.OtlpHttpExporter;
import java.util.List;
import java.util.Map;

/**
 * Sends kept traces to Tempo over OTLP/gRPC (default) or OTLP/HTTP, one request per tenant in the
 * batch, built from the record bytes as they are.
 */
public final class TempoSinkTask extends BatchingSinkTask<TempoSinkSettings> {
  private OtlpHttpExporter http;
  private GrpcTraceBackend grpc;

  @Override
  protected TempoSinkSettings settings(Map<String, String> props) {
    return new TempoSinkSettings(props);
  }

  @Override
  protected void open(TempoSinkSettings s) {
    if (s.grpc()) {
      grpc = new GrpcTraceBackend(s);
    } else {
      http = new OtlpHttpExporter(s, this::countDropped);
    }
  }

  @Override
  protected void send(List<Item> batch) throws BackendException {
    if (http != null) {
      http.export(batch);
      return;
    }
    for (Map.Entry<String, byte[]> request : OtlpRequests.byTenant(batch).entrySet()) {
      byte[] answer = grpc.export(request.getValue(), request.getKey());
      Signal.PartialSuccess partial = Signal.TRACES.partialSuccess(answer);
      if (partial.rejected() > 0) {
        countDropped("backend_rejected", partial.rejected());
      }
    }
  }

  @Override
  protected void closeBackend() {
    if (grpc != null) {
      grpc.close();
    }
  }
}
