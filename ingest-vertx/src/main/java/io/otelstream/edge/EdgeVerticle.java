package io.otelstream.edge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

/** One event loop's OTLP listeners; one instance is deployed per event loop. */
final class EdgeVerticle extends VerticleBase {
  /** Ports resolved once so every instance binds the same ones. */
  record Ports(int grpc, int http) {}

  /** Large HTTP/2 windows so a 16 MiB export streams without waiting for WINDOW_UPDATEs. */
  private static final int STREAM_WINDOW = 16 << 20;

  private static final int CONNECTION_WINDOW = 64 << 20;

  private final EdgeConfig config;
  private final Ports ports;
  private final GrpcTransport grpc;
  private final HttpTransport http;
  private final java.util.function.Consumer<String> aged;

  EdgeVerticle(
      EdgeConfig config,
      Ports ports,
      GrpcTransport grpc,
      HttpTransport http,
      java.util.function.Consumer<String> aged) {
    this.aged = aged;
    this.config = config;
    this.ports = ports;
    this.grpc = grpc;
    this.http = http;
  }

  @Override
  public Future<?> start() {
    GrpcServer grpcServer =
        GrpcServer.server(
                vertx,
                new GrpcServerOptions()
                    .setMaxMessageSize(config.limits().maxRequestBytes().bytes()))
            .callHandler(grpc::handle);
    Future<?> g =
        vertx
            .createHttpServer(options())
            .connectionHandler(c -> ageOut(c, "grpc"))
            .requestHandler(grpcServer)
            .listen(ports.grpc(), config.grpc().host());
    Future<?> h =
        vertx
            .createHttpServer(options())
            .connectionHandler(c -> ageOut(c, "http"))
            .requestHandler(http::handle)
            .listen(ports.http(), config.http().host());
    return Future.all(g, h);
  }

  /**
   * Ends a connection after its maximum age (with jitter): GOAWAY for HTTP/2, a close after the
   * current request for HTTP/1.1, requests in flight given the grace period.
   */
  private void ageOut(io.vertx.core.http.HttpConnection connection, String transport) {
    long ageMs = config.connections().maxAge().toMillis();
    if (ageMs <= 0) {
      return;
    }
    long jittered =
        Math.max(
            1,
            (long)
                (ageMs
                    * (0.9 + 0.2 * java.util.concurrent.ThreadLocalRandom.current().nextDouble())));
    long timer =
        vertx.setTimer(
            jittered,
            id -> {
              aged.accept(transport);
              connection.shutdown(
                  config.connections().maxAgeGrace().toMillis(),
                  java.util.concurrent.TimeUnit.MILLISECONDS);
            });
    connection.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private HttpServerOptions options() {
    HttpServerOptions o =
        new HttpServerOptions()
            .setInitialSettings(
                new Http2Settings()
                    .setInitialWindowSize(STREAM_WINDOW)
                    .setMaxConcurrentStreams(config.connections().maxConcurrentStreams()))
            // A connection with nothing read or written for this long is closed.
            .setIdleTimeout((int) Math.max(0, config.connections().idleTimeout().toSeconds()))
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
            .setHttp2ConnectionWindowSize(CONNECTION_WINDOW)
            // Bounded decompression happens in the edge itself.
            .setDecompressionSupported(false)
            // curl and others send Expect: 100-continue for larger bodies; do not make them wait.
            .setHandle100ContinueAutomatically(true);
    EdgeConfig.Tls tls = config.tls();
    if (tls.enabled()) {
      o.setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
      if (tls.clientCaFile() != null) {
        o.setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaFile()));
      }
    }
    return o;
  }
}
