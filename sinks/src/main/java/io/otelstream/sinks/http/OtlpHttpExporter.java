package io.otelstream.sinks.http;

import io.otelstream.schemas.Signal;
import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask.Item;
import io.otelstream.sinks.OtlpRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP export (binary protobuf) of a batch, one request per tenant. Items a backend reports
 * rejected through partial_success are counted as dropped with reason {@code backend_rejected}.
 */
public final class OtlpHttpExporter {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpExporter.class);
  private final HttpBackend backend;
  private final Signal signal;
  private final ObjLongConsumer<String> dropped;
  private final boolean gzip;
  private final int level;

  /**
   * @param dropped counts items the backend did not store, by reason
   */
  public OtlpHttpExporter(HttpSinkSettings settings, ObjLongConsumer<String> dropped) {
    this.backend = new HttpBackend(settings);
    this.signal = settings.signal();
    this.dropped = dropped;
    this.gzip = settings.gzip();
    this.level = settings.gzipLevel();
  }

  private byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip =
        new GZIPOutputStream(out, 8192) {
          {
            def.setLevel(level);
          }
        }) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }

  public void export(List<Item> batch) throws BackendException {
    for (Map.Entry<String, byte[]> request : OtlpRequests.byTenant(batch).entrySet()) {
      byte[] body = gzip ? gzip(request.getValue()) : request.getValue();
      Map<String, String> headers = gzip ? Map.of("Content-Encoding", "gzip") : Map.of();
      byte[] answer = backend.post(body, "application/x-protobuf", headers, request.getKey());
      Signal.PartialSuccess partial = signal.partialSuccess(answer);
      if (partial.rejected() > 0) {
        dropped.accept("backend_rejected", partial.rejected());
        LOG.warn(
            "backend stored the batch but rejected {} {}: {}",
            partial.rejected(),
            signal.key(),
            partial.message());
      }
    }
  }
}
