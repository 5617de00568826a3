package io.otelstream.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A liveness or readiness answer: 200 when {@code ok}, else 503, with a JSON body {@code {"status":
 * ..., detail: ...}} (details are strings or numbers).
 */
public record Health(boolean ok, String status, Map<String, Object> details) {
  public Health {
    details = new LinkedHashMap<>(details);
  }

  public static Health of(boolean ok, String status) {
    return new Health(ok, status, Map.of());
  }

  /** This answer with one more detail. */
  public Health with(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(details);
    more.put(key, value);
    return new Health(ok, status, more);
  }

  String json() {
    StringBuilder b = new StringBuilder("{\"status\":").append(quote(status));
    details.forEach(
        (k, v) ->
            b.append(',')
                .append(quote(k))
                .append(':')
                .append(v instanceof Number ? v.toString() : quote(String.valueOf(v))));
    return b.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
