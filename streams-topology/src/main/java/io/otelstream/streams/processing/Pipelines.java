package io.otelstream.streams.processing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.schemas.Signal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processors of the {@code processors} section, compiled and put in each signal's order from
 * {@code pipelines}. A processor's type is its name up to the first {@code /}, as in the Collector
 * ({@code attributes/strip} is an {@code attributes} processor). Everything that the Collector
 * would refuse, or that otelstream cannot do as the Collector does, fails here, at startup.
 */
public final class Pipelines {
  private static final Logger LOG = LoggerFactory.getLogger(Pipelines.class);
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, String> UNSUPPORTED =
      Map.of(
          "transform", "OTTL statements are not supported; use attributes and resource actions",
          "tail_sampling",
              "configure it in the tail_sampling section, which runs after the traces"
                  + " pipeline",
          "probabilistic_sampler", "use a probabilistic policy in tail_sampling",
          "span", "not supported; use attributes actions on spans",
          "cumulativetodelta", "not supported: the sinks write cumulative series",
          "deltatocumulative",
              "not needed: the metrics aggregation stage turns delta into" + " cumulative");

  /** No processors for any signal. */
  public static final Pipelines NONE = new Pipelines(new EnumMap<>(Signal.class));

  private final Map<Signal, List<Stage>> stages;

  private Pipelines(Map<Signal, List<Stage>> stages) {
    this.stages = stages;
  }

  /** Compiles {@code processors} for the signals {@code pipelines} lists them in. */
  public static Pipelines compile(Map<String, JsonNode> processors, PipelinesConfig pipelines) {
    Map<String, JsonNode> defined = processors != null ? processors : Map.of();
    if (pipelines == null) {
      if (!defined.isEmpty()) {
        throw new IllegalArgumentException(
            "processors are defined but no pipelines list them: add pipelines: {traces:"
                + " {processors: [...]}, metrics: {...}, logs: {...}}, as the Collector's"
                + " service.pipelines");
      }
      return NONE;
    }
    Map<String, Set<Signal>> uses = new LinkedHashMap<>();
    for (Signal s : Signal.values()) {
      for (String name : pipelines.of(s).processors()) {
        if (!defined.containsKey(name)) {
          throw new IllegalArgumentException(
              "pipelines."
                  + s.key()
                  + " lists processor '"
                  + name
                  + "', which processors does not define (defined: "
                  + new TreeSet<>(defined.keySet())
                  + ")");
        }
        uses.computeIfAbsent(name, n -> EnumSet.noneOf(Signal.class)).add(s);
      }
    }
    for (String name : defined.keySet()) {
      if (!uses.containsKey(name)) {
        LOG.warn("processor '{}' is defined but no pipeline lists it: it does nothing", name);
      }
    }
    Map<String, Stage> compiled = new LinkedHashMap<>();
    uses.forEach((name, signals) -> compiled.put(name, stage(name, defined.get(name), signals)));
    Map<Signal, List<Stage>> out = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      List<Stage> list = new ArrayList<>();
      for (String name : pipelines.of(s).processors()) {
        Stage stage = compiled.get(name);
        if (stage != null) {
          list.add(stage);
        }
        if (stage instanceof FilterStage f && !f.filters(s)) {
          LOG.warn(
              "processor '{}' is in the {} pipeline but has no {} section: it passes everything"
                  + " there, as in the Collector",
              name,
              s.key(),
              s == Signal.TRACES ? "spans" : s.key());
        }
      }
      out.put(s, List.copyOf(list));
    }
    return new Pipelines(out);
  }

  private static Stage stage(String name, JsonNode node, Set<Signal> signals) {
    String type = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    JsonNode config = node == null || node.isNull() ? STRICT.createObjectNode() : node;
    try {
      return switch (type) {
        case "attributes" ->
            new AttributesStage(name, read(config, ProcessorConfigs.Attributes.class), signals);
        case "resource" -> new ResourceStage(name, read(config, ProcessorConfigs.Resource.class));
        case "redaction" ->
            new RedactionStage(name, read(config, ProcessorConfigs.Redaction.class));
        case "filter" -> {
          ProcessorConfigs.Filter f = read(config, ProcessorConfigs.Filter.class);
          warnPrometheusOnly(name, f);
          yield new FilterStage(name, f, signals);
        }
        case "batch", "memory_limiter" -> {
          LOG.info(
              "processor '{}' is accepted and not needed: Kafka batches records and the edge"
                  + " bounds memory",
              name);
          yield new Stage() {
            @Override
            public String name() {
              return name;
            }
          };
        }
        default ->
            throw new IllegalArgumentException(
                UNSUPPORTED.getOrDefault(
                    type,
                    "unknown processor type '"
                        + type
                        + "'; otelstream runs attributes, resource, filter, redaction (and accepts batch,"
                        + " memory_limiter)"));
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("processors." + name + ": " + e.getMessage(), e);
    }
  }

  private static void warnPrometheusOnly(String name, ProcessorConfigs.Filter f) {
    if (f.metrics() == null) {
      return;
    }
    for (MatchProperties p : new MatchProperties[] {f.metrics().include(), f.metrics().exclude()}) {
      if (p == null) {
        continue;
      }
      for (String pattern : ItemMatcher.prometheusOnlyPatterns(p)) {
        LOG.warn(
            "processors.{}: metric_names pattern '{}' can only match Prometheus series names: an"
                + " OTLP histogram is one metric, its buckets are not metrics of their own, so it"
                + " matches nothing (as in the Collector). To drop a histogram, match its OTLP"
                + " name; to drop attributes from it, use an attributes processor",
            name,
            pattern);
      }
    }
  }

  private static <T> T read(JsonNode node, Class<T> type) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ", " (known keys: ", ")"));
      throw new IllegalArgumentException("unknown key '" + path(e) + "'" + known, e);
    } catch (JsonMappingException e) {
      Throwable root = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      String message =
          root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
      String where = path(e);
      throw new IllegalArgumentException(where.isEmpty() ? message : where + ": " + message, e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() > 0 ? "." : "").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  public boolean isEmpty(Signal signal) {
    return stages.getOrDefault(signal, List.of()).isEmpty();
  }

  /** The filter processors of a signal's pipeline (their drops are counted by name). */
  public List<String> filters(Signal signal) {
    return stages.getOrDefault(signal, List.of()).stream()
        .filter(s -> s instanceof FilterStage f && f.filters(signal))
        .map(Stage::name)
        .toList();
  }

  /** The redaction processors of a signal's pipeline (their masks are counted by name). */
  public List<String> redactions(Signal signal) {
    return stages.getOrDefault(signal, List.of()).stream()
        .filter(s -> s instanceof RedactionStage)
        .map(Stage::name)
        .toList();
  }

  /** Counts what a processor removed, and what a redaction processor redacted. */
  @FunctionalInterface
  public interface Drops {
    void removed(String processor, long items);

    /** Attribute values (or log bodies) a redaction processor removed or masked, by reason. */
    default void redacted(String processor, String reason, long values) {}
  }

  public void traces(ExportTraceServiceRequest.Builder request, Drops drops) {
    for (Stage s : stages.getOrDefault(Signal.TRACES, List.of())) {
      count(drops, s, s.traces(request, drops));
    }
  }

  public void metrics(ExportMetricsServiceRequest.Builder request, Drops drops) {
    for (Stage s : stages.getOrDefault(Signal.METRICS, List.of())) {
      count(drops, s, s.metrics(request, drops));
    }
  }

  public void logs(ExportLogsServiceRequest.Builder request, Drops drops) {
    for (Stage s : stages.getOrDefault(Signal.LOGS, List.of())) {
      count(drops, s, s.logs(request, drops));
    }
  }

  private static void count(Drops drops, Stage s, long removed) {
    if (removed > 0) {
      drops.removed(s.name(), removed);
    }
  }
}
