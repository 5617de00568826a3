package io.otelstream.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelstream.admin.AdminEndpoint;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the admin endpoints and Connect's REST API; an unreachable one is reported, not fatal. */
public final class StatusProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdminHttp http = new AdminHttp(TIMEOUT);

  /** The endpoints to read. */
  public record Targets(String edge, String streams, String connect, String connectMetrics) {}

  /** Everything read at one moment. */
  public record Snapshot(
      long atNanos,
      Stage edge,
      Stage streams,
      Stage sinks,
      List<ConnectorState> connectors,
      String connectError) {}

  public Snapshot read(Targets targets) {
    long at = System.nanoTime();
    Stage edge = stage(targets.edge(), true);
    Stage streams = stage(targets.streams(), true);
    Stage sinks = stage(targets.connectMetrics(), false);
    List<ConnectorState> connectors = new ArrayList<>();
    String connectError = null;
    try {
      JsonNode all =
          JSON.readTree(http.get(targets.connect() + "/connectors?expand=status").body());
      all.fields()
          .forEachRemaining(
              e -> {
                JsonNode status = e.getValue().path("status");
                List<String> tasks = new ArrayList<>();
                String failure = firstLine(status.path("connector").path("trace").asText(null));
                for (JsonNode task : status.path("tasks")) {
                  tasks.add(task.path("state").asText());
                  if (failure == null) {
                    failure = firstLine(task.path("trace").asText(null));
                  }
                }
                connectors.add(
                    new ConnectorState(
                        e.getKey(),
                        status.path("connector").path("state").asText("UNKNOWN"),
                        tasks,
                        failure));
              });
    } catch (IOException | RuntimeException e) {
      connectError = describe(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connectError = "interrupted";
    }
    connectors.sort(java.util.Comparator.comparing(ConnectorState::name));
    return new Snapshot(at, edge, streams, sinks, connectors, connectError);
  }

  private Stage stage(String base, boolean hasReadiness) {
    try {
      HttpResponse<String> metrics = http.get(base + AdminEndpoint.METRICS);
      if (metrics.statusCode() != 200) {
        return new Stage(
            base,
            MetricSamples.empty(),
            false,
            AdminEndpoint.METRICS + " answered " + metrics.statusCode());
      }
      boolean ready = !hasReadiness || http.get(base + AdminEndpoint.READY).statusCode() == 200;
      return new Stage(base, MetricSamples.parse(metrics.body()), ready, null);
    } catch (IOException | RuntimeException e) {
      return new Stage(base, MetricSamples.empty(), false, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Stage(base, MetricSamples.empty(), false, "interrupted");
    }
  }

  /** A GET with a hard deadline: a stuck endpoint is reported, never waited on. */
  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String firstLine(String trace) {
    if (trace == null || trace.isBlank()) {
      return null;
    }
    int nl = trace.indexOf('\n');
    return nl < 0 ? trace : trace.substring(0, nl);
  }
}
