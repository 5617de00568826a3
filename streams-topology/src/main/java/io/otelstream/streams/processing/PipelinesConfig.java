package io.otelstream.streams.processing;

import io.otelstream.schemas.Signal;
import java.util.List;

/**
 * Which processors run for each signal, in order: the Collector's {@code
 * service.pipelines.<signal>} shape. {@code receivers} and {@code exporters} are accepted so that a
 * Collector pipeline pastes, and not used (otelstream's receiver is the edge, its exporters are the
 * sinks).
 */
public record PipelinesConfig(Pipeline traces, Pipeline metrics, Pipeline logs) {

  /** One signal's processors. */
  public record Pipeline(List<String> processors, List<String> receivers, List<String> exporters) {
    public Pipeline {
      processors = processors != null ? List.copyOf(processors) : List.of();
    }
  }

  Pipeline of(Signal signal) {
    Pipeline p =
        switch (signal) {
          case TRACES -> traces;
          case METRICS -> metrics;
          case LOGS -> logs;
        };
    return p != null ? p : new Pipeline(null, null, null);
  }
}
