package io.otelstream.edge;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** Hand-made OTLP requests and a plain HTTP client for tests. */
final class Otlp {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Otlp() {}

  static ByteString randomTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return ByteString.copyFrom(
        ByteBuffer.allocate(16).putLong(r.nextLong() | 1).putLong(r.nextLong()).array());
  }

  static ByteString spanId(long id) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
  }

  /** One span per given trace ID; span IDs 1..n. */
  static ExportTraceServiceRequest traces(ByteString... traceIds) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long id = 1;
    for (ByteString t : traceIds) {
      scope.addSpans(Span.newBuilder().setTraceId(t).setSpanId(spanId(id++)).setName("span-" + id));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  static HttpResponse<byte[]> post(String url, String contentType, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
