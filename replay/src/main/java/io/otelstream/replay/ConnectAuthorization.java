package io.otelstream.replay;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Authorization header for a Kafka Connect whose REST API asks for Basic credentials (the
 * chart's does): from {@value #ENV} ({@code user:password}), or none when it is unset.
 */
public final class ConnectAuthorization {
  public static final String ENV = "OTELSTREAM_CONNECT_AUTH";

  private ConnectAuthorization() {}

  /** The header value, or null. */
  public static String header() {
    String credentials = System.getenv(ENV);
    if (credentials == null || credentials.isBlank()) {
      return null;
    }
    if (!credentials.contains(":")) {
      throw new IllegalArgumentException(ENV + " must be user:password");
    }
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }
}
