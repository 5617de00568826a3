package io.otelstream.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Maps bearer tokens to tenants. With no tokens configured every request passes, tenant-less. */
final class Authenticator {
  private final Map<String, String> tenantByTokenHash = new HashMap<>();

  Authenticator(List<EdgeConfig.Token> tokens) {
    for (EdgeConfig.Token t : tokens) {
      tenantByTokenHash.put(hash(t.token()), t.tenant());
    }
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
