package io.otelstream.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.Duration;

/** Durations as the Collector writes them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 24h}. */
final class DurationDeserializer extends JsonDeserializer<Duration> {
  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    return parse(p.getValueAsString());
  }

  static Duration parse(String text) {
    String s = text == null ? "" : text.trim();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    if (i == 0 || i == s.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a number and a unit: 500ms, 10s, 5m, 1h");
    }
    double amount = Double.parseDouble(s.substring(0, i));
    long nanosPerUnit =
        switch (s.substring(i)) {
          case "ns" -> 1L;
          case "us" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default ->
              throw new IllegalArgumentException(
                  "'" + text + "' has an unknown unit; use ns, us, ms, s, m or h");
        };
    return Duration.ofNanos(Math.round(amount * nanosPerUnit));
  }
}
