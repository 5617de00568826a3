package io.otelstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelstream.cli.status.AdminHttp;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the streams app's aggregation stage sees of metric cardinality: the metrics with the most
 * active series, the attributes with the most distinct values, and what the cardinality guard did
 * (attributes dropped, metrics overflowing) and since when. Reads {@code /cardinality} on the
 * streams admin port.
 */
@Command(
    name = "cardinality",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Show metric cardinality as the streams app's aggregation stage sees it: top metrics by active"
          + " series, top attributes by distinct values, and what the cardinality guard dropped or"
          + " sent to an overflow series, and since when.",
      "Exit status: 0, or 1 when the streams app cannot be read."
    })
final class CardinalityCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--streams",
      description = "streams app admin URL (default: ${DEFAULT-VALUE})",
      defaultValue = "http://localhost:13134")
  String streams;

  @Option(
      names = "--top",
      description = "metrics and attributes to list (default: ${DEFAULT-VALUE})",
      defaultValue = "10")
  int top;

  @Option(
      names = "--output",
      description = "text or json (default: ${DEFAULT-VALUE})",
      defaultValue = "text")
  String output;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("--output must be text or json, got " + output);
    }
    if (top < 1) {
      throw new IllegalArgumentException("--top must be at least 1, got " + top);
    }
    PrintWriter out = spec.commandLine().getOut();
    String url = (streams.endsWith("/") ? streams.substring(0, streams.length() - 1) : streams);
    HttpResponse<String> answer;
    try {
      answer = new AdminHttp(Duration.ofSeconds(5)).get(url + "/cardinality");
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("cannot read " + url + "/cardinality: " + e);
      return 1;
    }
    if (answer.statusCode() != 200) {
      spec.commandLine()
          .getErr()
          .println(url + "/cardinality answered " + answer.statusCode() + ": " + answer.body());
      return 1;
    }
    if (output.equals("json")) {
      out.println(answer.body());
      out.flush();
      return 0;
    }
    out.print(render(JSON.readTree(answer.body()).path("metrics"), top));
    out.flush();
    return 0;
  }

  static String render(JsonNode metrics, int top) {
    StringBuilder b = new StringBuilder();
    List<String> guard = new ArrayList<>();
    List<String[]> attributes = new ArrayList<>();
    b.append("Top metrics by active series\n");
    b.append(String.format("  %-40s %-12s %8s  %s%n", "metric", "tenant", "series", "guard"));
    int shown = 0;
    for (JsonNode m : metrics) {
      String name = m.path("metric").asText();
      String tenant = m.path("tenant").isNull() ? "-" : m.path("tenant").asText();
      List<String> did = new ArrayList<>();
      for (JsonNode d : m.path("dropped")) {
        did.add("dropped " + d.path("attribute").asText());
        guard.add(
            String.format(
                "  dropped attribute %s from %s%s since %s (%d distinct values)",
                d.path("attribute").asText(),
                name,
                tenant.equals("-") ? "" : " (tenant " + tenant + ")",
                Instant.ofEpochMilli(d.path("since_ms").asLong()),
                d.path("distinct_values").asInt()));
      }
      if (!m.path("overflow_since_ms").isNull() && m.has("overflow_since_ms")) {
        did.add("overflowing");
        guard.add(
            String.format(
                "  %s%s at its series limit since %s: %d points went to otel.metric.overflow=\"true\"",
                name,
                tenant.equals("-") ? "" : " (tenant " + tenant + ")",
                Instant.ofEpochMilli(m.path("overflow_since_ms").asLong()),
                m.path("overflow_points").asLong()));
      }
      for (JsonNode a : m.path("attributes")) {
        attributes.add(
            new String[] {name, a.path("attribute").asText(), a.path("distinct_values").asText()});
      }
      if (shown++ < top) {
        b.append(
            String.format(
                "  %-40s %-12s %8d  %s%n",
                name, tenant, m.path("active_series").asInt(), String.join(", ", did)));
      }
    }
    if (shown == 0) {
      b.append("  (no metrics aggregated yet)\n");
    }
    attributes.sort((x, y) -> Integer.compare(Integer.parseInt(y[2]), Integer.parseInt(x[2])));
    b.append("\nTop attributes by distinct values (current window)\n");
    b.append(String.format("  %-40s %-30s %8s%n", "metric", "attribute", "values"));
    attributes.stream()
        .limit(top)
        .forEach(a -> b.append(String.format("  %-40s %-30s %8s%n", a[0], a[1], a[2])));
    b.append("\nWhat the cardinality guard did\n");
    if (guard.isEmpty()) {
      b.append("  nothing: no attribute dropped, no metric at its series limit\n");
    }
    guard.forEach(g -> b.append(g).append('\n'));
    return b.toString();
  }
}
