package io.otelstream.perf;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * A bound, not a server to run: OTLP/gRPC Export answered as soon as its message is in, on the
 * edge's stack (Vert.x HTTP/2 server, vertx-grpc, the edge's window sizes) with none of the edge's
 * work and no Kafka. Its CPU per span at a given rate is what the HTTP/2 and gRPC libraries alone
 * cost the edge's event loops (perf/bench-edge-collector.sh, BENCH_SERVERS=null).
 */
public final class NullTraceServer extends VerticleBase {
  private static final int STREAM_WINDOW = 16 << 20; // as the edge's EdgeVerticle
  private static final int CONNECTION_WINDOW = 64 << 20;
  private static final Buffer EMPTY_RESPONSE = Buffer.buffer(); // ExportTraceServiceResponse{}

  private final int port;

  private NullTraceServer(int port) {
    this.port = port;
  }

  /** args: port [event loops (default: available processors, as the edge)] */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: NullTraceServer port [event-loops]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int loops =
        args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    vertx
        .deployVerticle(
            () -> new NullTraceServer(port), new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("null trace server listening on " + port))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc =
        GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(16 << 20))
            .callHandler(NullTraceServer::answer);
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                .setHttp2ConnectionWindowSize(CONNECTION_WINDOW))
        .requestHandler(grpc)
        .listen(port, "0.0.0.0");
  }

  private static void answer(GrpcServerRequest<Buffer, Buffer> request) {
    request.handler(message -> {});
    request.endHandler(v -> request.response().end(EMPTY_RESPONSE));
  }
}
