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
                            ExportTraceServiceRequest.parseFrom(body.getBytes())
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
  public void outage(boolean on) {
    forced = on ? GrpcStatus.UNAVAILABLE : null;
  }

  @Override
  public String refuse() {
    forced = GrpcStatus.INVALID_ARGUMENT;
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
