package io.otelstream.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import java.util.concurrent.TimeUnit;

/** Raw gRPC trace exports for tests that need to see status codes and trailers. */
final class GrpcCalls {
  private GrpcCalls() {}

  static GrpcClientResponse<Buffer, Buffer> export(
      Vertx vertx, int port, byte[] body, String authorization) throws Exception {
    GrpcClient client =
        GrpcClient.client(
            vertx,
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    try {
      return client
          .request(SocketAddress.inetSocketAddress(port, "localhost"))
          .compose(
              req -> {
                req.fullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export");
                if (authorization != null) {
                  req.headers().set("authorization", authorization);
                }
                return req.send(Buffer.buffer(body));
              })
          .compose(
              resp -> {
                resp.handler(b -> {});
                return resp.end().transform(ar -> Future.succeededFuture(resp));
              })
          .await(30, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  /** grpc-status-details-bin; a trailers-only response carries it in the headers. */
  static String details(GrpcClientResponse<Buffer, Buffer> r) {
    String t = r.trailers().get("grpc-status-details-bin");
    return t != null ? t : r.headers().get("grpc-status-details-bin");
  }
}
