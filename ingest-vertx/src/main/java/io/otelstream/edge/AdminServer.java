package io.otelstream.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** The admin port: liveness, readiness (Kafka reachable, topics present, not draining), metrics. */
final class AdminServer {
  private final EdgeState state;
  private final PrometheusMeterRegistry registry;

  AdminServer(EdgeState state, PrometheusMeterRegistry registry) {
    this.state = state;
    this.registry = registry;
  }

  Future<HttpServer> listen(Vertx vertx, EdgeConfig.Listener listener) {
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(listener.port(), listener.host());
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health/live" -> json(request, 200, new JsonObject().put("status", "live"));
      case "/health/ready" -> {
        boolean ready = state.ready();
        JsonObject body = new JsonObject().put("status", ready ? "ready" : "not ready");
        if (state.draining()) {
          body.put("reason", "shutting down");
        } else if (!ready) {
          body.put("reason", "Kafka is unreachable or the raw topics do not exist");
        }
        json(request, ready ? 200 : 503, body);
      }
      case "/metrics" ->
          request
              .response()
              .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
              .end(registry.scrape());
      default ->
          json(
              request,
              404,
              new JsonObject().put("error", "use /health/live, /health/ready or /metrics"));
    }
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
