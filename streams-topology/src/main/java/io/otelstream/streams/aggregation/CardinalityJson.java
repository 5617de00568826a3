package io.otelstream.streams.aggregation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.Map;

/** The cardinality report as the admin port's {@code /cardinality} JSON. */
public final class CardinalityJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private CardinalityJson() {}

  public static String render(CardinalityReport report) {
    try {
      return JSON.writeValueAsString(Map.of("metrics", report.metrics()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
