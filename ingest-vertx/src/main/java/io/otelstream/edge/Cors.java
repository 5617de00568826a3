package io.otelstream.edge;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** CORS for browser exporters: allow-listed origins only; others get no CORS headers. */
final class Cors {
  private final Set<String> origins;
  private final boolean any;
  private final String allowedHeaders;
  private final String maxAge;

  Cors(EdgeConfig.Cors config) {
    this.origins = Set.copyOf(config.allowedOrigins());
    this.any = origins.contains("*");
    Set<String> headers =
        new LinkedHashSet<>(List.of("Content-Type", "Content-Encoding", "Authorization"));
    headers.addAll(config.allowedHeaders());
    this.allowedHeaders = String.join(", ", headers);
    this.maxAge = Long.toString(config.maxAge().toSeconds());
  }

  /** Adds CORS headers when the origin is allowed; returns true when it answered a preflight. */
  boolean apply(HttpServerRequest request, HttpServerResponse response) {
    String origin = request.getHeader("Origin");
    if (origin == null || origins.isEmpty()) {
      return false;
    }
    boolean allowed = any || origins.contains(origin);
    boolean preflight =
        request.method() == HttpMethod.OPTIONS
            && request.getHeader("Access-Control-Request-Method") != null;
    if (allowed) {
      response.putHeader("Access-Control-Allow-Origin", any ? "*" : origin);
      response.putHeader("Vary", "Origin");
    }
    if (!preflight) {
      return false;
    }
    if (allowed) {
      response
          .putHeader("Access-Control-Allow-Methods", "POST")
          .putHeader("Access-Control-Allow-Headers", allowedHeaders)
          .putHeader("Access-Control-Max-Age", maxAge)
          .setStatusCode(204)
          .end();
    } else {
      response.setStatusCode(403).end();
    }
    return true;
  }
}
