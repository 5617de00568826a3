package io.otelstream.sinks.tempo;

import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.http.HttpSinkSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC TraceService/Export. UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, CANCELLED and connection
 * errors are retriable, as the OTLP specification says; RESOURCE_EXHAUSTED only when the server
 * sent RetryInfo (it says how long to wait); UNAUTHENTICATED and PERMISSION_DENIED too (an expired
 * credential must not dead-letter the stream); other codes are permanent.
 */
final class GrpcTraceBackend implements AutoCloseable {
  private static final String METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final Set<GrpcStatus> RETRIABLE =
      Set.of(
          GrpcStatus.UNAVAILABLE,
          GrpcStatus.DEADLINE_EXCEEDED,
          GrpcStatus.ABORTED,
          GrpcStatus.CANCELLED,
          GrpcStatus.UNAUTHENTICATED,
          GrpcStatus.PERMISSION_DENIED);

  private final HttpSinkSettings settings;
  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;

  GrpcTraceBackend(HttpSinkSettings settings) {
    this.settings = settings;
    URI url = settings.url();
    boolean tls = "https".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : (tls ? 443 : 4317);
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setSsl(tls)
            .setUseAlpn(tls)
            .setVerifyHost(true)
            .setConnectTimeout((int) settings.timeout().toMillis());
    if (settings.tls().trustOptions() != null) {
      options.setTrustOptions(settings.tls().trustOptions());
    }
    if (settings.tls().keyCertOptions() != null) {
      options.setKeyCertOptions(settings.tls().keyCertOptions());
    }
    this.client = GrpcClient.client(vertx, options);
    this.address = SocketAddress.inetSocketAddress(port, url.getHost());
  }

  /**
   * @param tenant x-scope-orgid; null or "" for the static tenant, if any
   * @return the ExportTraceServiceResponse bytes
   */
  byte[] export(byte[] request, String tenant) throws BackendException {
    String tenantHeader = tenant != null && !tenant.isEmpty() ? tenant : settings.staticTenant();
    Buffer answer = Buffer.buffer();
    String auth = settings.authorization();
    GrpcClientResponse<Buffer, Buffer> response;
    try {
      response =
          client
              .request(address)
              .compose(
                  req -> {
                    req.fullMethodName(METHOD);
                    if (settings.gzip()) {
                      req.encoding("gzip");
                    }
                    req.timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    if (tenantHeader != null) {
                      req.headers().set("x-scope-orgid", tenantHeader);
                    }
                    if (auth != null) {
                      req.headers().set("authorization", auth);
                    }
                    return req.send(Buffer.buffer(request));
                  })
              .compose(
                  resp -> {
                    resp.handler(answer::appendBuffer);
                    return resp.end().transform(ar -> Future.succeededFuture(resp));
                  })
              .await(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new BackendException(
          "cannot export to " + settings.url() + ": " + e, true, "connection", e);
    }
    GrpcStatus status = response.status();
    if (status == GrpcStatus.OK) {
      return answer.getBytes();
    }
    String message =
        settings.url() + " answered " + status.name() + ": " + response.statusMessage();
    // A trailers-only answer (an error without messages) carries its details in the headers.
    String details = response.trailers().get("grpc-status-details-bin");
    if (details == null) {
      details = response.headers().get("grpc-status-details-bin");
    }
    java.time.Duration retryAfter = RetryInfos.delay(details);
    boolean retriable =
        RETRIABLE.contains(status) || status == GrpcStatus.RESOURCE_EXHAUSTED && retryAfter != null;
    throw new BackendException(
        message, retriable, "grpc_" + status.name().toLowerCase(), null, retryAfter);
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
