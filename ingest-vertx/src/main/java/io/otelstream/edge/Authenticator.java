package io.otelstream.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Maps bearer tokens to tenants. With no tokens configured every request passes, tenant-less. The
 * tokens can be replaced while requests are served (a reloaded tokens file): each request sees one
 * complete set.
 */
final class Authenticator {
  private volatile Map<String, String> tenantByTokenHash;
  private final List<EdgeConfig.Token> fixed;

  Authenticator(List<EdgeConfig.Token> tokens) {
    this.fixed = List.copyOf(tokens);
    this.tenantByTokenHash = index(fixed, List.of());
  }

  /** The configured tokens plus {@code fromFile}, from now on. */
  void replaceFileTokens(List<EdgeConfig.Token> fromFile) {
    tenantByTokenHash = index(fixed, fromFile);
  }

  private static Map<String, String> index(List<EdgeConfig.Token> a, List<EdgeConfig.Token> b) {
    Map<String, String> m = new HashMap<>();
    for (List<EdgeConfig.Token> list : List.of(a, b)) {
      for (EdgeConfig.Token t : list) {
        m.put(hash(t.token()), t.tenant());
      }
    }
    return Map.copyOf(m);
  }

  boolean enabled() {
    return !tenantByTokenHash.isEmpty();
  }

  /**
   * @param authorization the Authorization header or metadata value, may be null
   * @return the tenant, or null when authentication is off
   */
  String tenant(String authorization) {
    if (!enabled()) {
      return null;
    }
    if (authorization == null || authorization.isBlank()) {
      throw new EdgeError(
          EdgeError.Kind.UNAUTHENTICATED,
          "missing_token",
          "missing bearer token; send the header 'Authorization: Bearer <token>'");
    }
    String value = authorization.trim();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new EdgeError(
          EdgeError.Kind.UNAUTHENTICATED,
          "invalid_token",
          "Authorization must use the Bearer scheme");
    }
    // Looked up by digest so the comparison time does not depend on how much of a token matches.
    String tenant = tenantByTokenHash.get(hash(value.substring(7).trim()));
    if (tenant == null) {
      throw new EdgeError(
          EdgeError.Kind.UNAUTHENTICATED, "invalid_token", "bearer token is not valid");
    }
    return tenant;
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
