package io.otelstream.sinks;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Tempo's OTLP/gRPC trace receiver as a test double: decodes TraceService/Export with the real OTLP
 * protos, records span names with their x-scope-orgid, and can answer UNAVAILABLE (an outage) or
 * INVALID_ARGUMENT (a refusal).
 */
final class GrpcTraceReceiver implements ContractBackend {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final boolean tls;
  final List<String> spans = new CopyOnWriteArrayList<>();
  private final List<String> tenants = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> encodings = new CopyOnWriteArrayList<>();
  private volatile GrpcStatus forced;
  private volatile String refusedItem;
  private final java.util.concurrent.atomic.AtomicInteger throttle =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile java.time.Duration throttleWait; // null: RESOURCE_EXHAUSTED without RetryInfo
  private final List<Long> throttledAt = new CopyOnWriteArrayList<>();
  private final List<Long> acceptedAt = new CopyOnWriteArrayList<>();

  GrpcTraceReceiver() {
    this(new HttpServerOptions());
  }

  GrpcTraceReceiver(HttpServerOptions options) {
    this.tls = options.isSsl();
    GrpcServer grpc =
        GrpcServer.server(vertx)
            .callHandler(
                call ->
                    call.handler(
                        body -> {
                          if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throttledAt.add(System.nanoTime());
                            if (throttleWait != null) {
                              call.response()
                                  .trailers()
                                  .set("grpc-status-details-bin", retryInfo(throttleWait));
                            }
                            call.response()
                                .status(GrpcStatus.RESOURCE_EXHAUSTED)
                                .statusMessage("throttled by the test receiver")
                                .end();
                            return;
                          }
                          GrpcStatus status = forced;
                          if (status != null) {
                            call.response()
                                .status(status)
                                .statusMessage(
                                    "forced " + status.name() + " from the test receiver")
                                .end();
                            return;
                          }
                          try {
                            String tenant = String.valueOf(call.headers().get("x-scope-orgid"));
                            encodings.add(String.valueOf(call.headers().get("grpc-encoding")));
                            ExportTraceServiceRequest request =
                                ExportTraceServiceRequest.parseFrom(body.getBytes());
                            String refused = refusedItem;
                            if (refused != null
                                && request.getResourceSpansList().stream()
                                    .flatMap(rs -> rs.getScopeSpansList().stream())
                                    .flatMap(ss -> ss.getSpansList().stream())
                                    .anyMatch(sp -> sp.getName().equals(refused))) {
                              call.response()
                                  .status(GrpcStatus.INVALID_ARGUMENT)
                                  .statusMessage(
                                      "item " + refused + " refused by the test receiver")
                                  .end();
                              return;
                            }
                            request
                                .getResourceSpansList()
                                .forEach(
                                    rs ->
                                        rs.getScopeSpansList()
                                            .forEach(
                                                ss ->
                                                    ss.getSpansList()
                                                        .forEach(
                                                            s -> {
                                                              spans.add(s.getName());
                                                              tenants.add(tenant);
                                                            })));
                            authorizations.add(String.valueOf(call.headers().get("authorization")));
                            acceptedAt.add(System.nanoTime());
                            call.response()
                                .end(
                                    Buffer.buffer(
                                        ExportTraceServiceResponse.getDefaultInstance()
                                            .toByteArray()));
                          } catch (Exception e) {
                            call.response()
                                .status(GrpcStatus.INVALID_ARGUMENT)
                                .statusMessage(e.getMessage())
                                .end();
                          }
                        }));
    try {
      server =
          vertx
              .createHttpServer(options)
              .requestHandler(grpc)
              .listen(0, "localhost")
              .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("gRPC receiver did not start", e);
    }
  }

  String url() {
    return (tls ? "https" : "http") + "://localhost:" + server.actualPort();
  }

  @Override
  public String settings() {
    return ", \"backend.url\": \"" + url() + "\"";
  }

  @Override
  public List<String> items() {
    return spans;
  }

  @Override
  public List<String> tenants() {
    return tenants;
  }

  @Override
  public Optional<List<String>> authorizations() {
    return Optional.of(authorizations);
  }

  @Override
  public List<String> encodings() {
    return encodings;
  }

  @Override
  public boolean refuseCredentials(boolean on) {
    forced = on ? GrpcStatus.UNAUTHENTICATED : null;
    return true;
  }

  @Override
  public void outage(boolean on) {
    forced = on ? GrpcStatus.UNAVAILABLE : null;
  }

  @Override
  public String refuse() {
    forced = GrpcStatus.INVALID_ARGUMENT;
    return null;
  }

  @Override
  public boolean throttle(int times, java.time.Duration wait) {
    throttleWait = wait;
    throttle.set(times);
    return true;
  }

  /** RESOURCE_EXHAUSTED without RetryInfo: the OTLP specification makes it permanent. */
  void exhaustWithoutRetryInfo(int times) {
    throttleWait = null;
    throttle.set(times);
  }

  @Override
  public List<Long> throttledAt() {
    return throttledAt;
  }

  @Override
  public List<Long> acceptedAt() {
    return acceptedAt;
  }

  /** A google.rpc.Status with RetryInfo, as binary gRPC metadata (base64, unpadded). */
  static String retryInfo(java.time.Duration wait) {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(8)
            .addDetails(
                com.google.protobuf.Any.pack(
                    com.google.rpc.RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(wait.toSeconds())
                                .setNanos(wait.toNanosPart()))
                        .build()))
            .build();
    return java.util.Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray());
  }

  @Override
  public String refuseItem(String name) {
    refusedItem = name;
    return null;
  }

  @Override
  public List<String> refusalMessage() {
    return List.of("answered INVALID_ARGUMENT: forced INVALID_ARGUMENT from the test receiver");
  }

  @Override
  public void close() {
    vertx.close();
  }
}
