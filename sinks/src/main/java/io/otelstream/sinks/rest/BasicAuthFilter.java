package io.otelstream.sinks.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses REST requests without a known user's Basic credentials (401). Let through without them:
 * {@code GET /} (the worker's version, for liveness probes) and the requests workers send each
 * other to hand over task configurations and fence zombies, which Connect signs and verifies with
 * its session key itself.
 */
final class BasicAuthFilter implements ContainerRequestFilter {
  private static final Pattern INTERNAL = Pattern.compile("connectors/[^/]+/(tasks|fence)/?");

  private final Map<String, String> users;

  BasicAuthFilter(Map<String, String> users) {
    this.users = users;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String method = request.getMethod();
    if ((path.isEmpty() || path.equals("/")) && method.equals("GET")) {
      return;
    }
    if ((method.equals("POST") || method.equals("PUT"))
        && INTERNAL.matcher(path.startsWith("/") ? path.substring(1) : path).matches()) {
      return;
    }
    if (!authorized(request.getHeaderString("Authorization"))) {
      request.abortWith(
          Response.status(Response.Status.UNAUTHORIZED)
              .header("WWW-Authenticate", "Basic realm=\"otelstream-connect\"")
              .entity("{\"error_code\":401,\"message\":\"credentials required\"}")
              .type("application/json")
              .build());
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String expected = users.get(decoded.substring(0, colon));
    return expected != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8),
            decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
  }
}
