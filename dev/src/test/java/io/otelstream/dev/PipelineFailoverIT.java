package io.otelstream.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.FreePorts;
import io.otelstream.kafka.KafkaCluster;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a three-broker cluster (replication 3, min.insync.replicas 2): edge,
 * streams app (exactly-once) and a Connect file sink run under steady load while one broker stops,
 * then a second, then both come back. Afterwards every acknowledged trace that the policy keeps is
 * in otlp-traces-sampled (read_committed) exactly once, whole, and no dropped trace is; and the
 * sink has delivered every kept trace.
 */
class PipelineFailoverIT {
  @RegisterExtension static KafkaCluster kafka = new KafkaCluster();
  @TempDir Path dir;

  @Test
  void noDecidedTraceIsLostOrDuplicatedAndTheSinkDeliversAfterRecovery() throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of());
    String topics = "{prefix: pf., replication_factor: 3, min_insync_replicas: 2}";
    String bootstrap = "kafka: {bootstrap.servers: \"" + kafka.bootstrapServers() + "\"}\n";
    EdgeConfig edgeConfig =
        loader.parse(
            "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 1\n"
                + "limits: {request_timeout: 3s, retry_after: 1s}\n"
                + bootstrap
                + "topics: "
                + topics
                + "\n",
            EdgeConfig.class,
            "edge");
    StreamsAppConfig streamsConfig =
        loader.parse(
            "application_id: pf\nstate_dir: "
                + dir.resolve("streams")
                + "\nadmin: {port: 0}\n"
                + bootstrap
                + "topics: "
                + topics
                + "\ntail_sampling:\n  decision_wait: 2s\n  policies:\n"
                + TraceTraffic.POLICY,
            StreamsAppConfig.class,
            "streams");
    TopicCatalog catalog = new TopicCatalog(edgeConfig.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    Path files = dir.resolve("files");
    try (DevConnect connect =
            new DevConnect(
                kafka.bootstrapServers(),
                FreePorts.next(),
                0,
                catalog,
                files,
                loader.parse("{}", DevSinks.class, "sinks"));
        StreamsApp streams = StreamsApp.start(streamsConfig);
        EdgeServer edge = EdgeServer.start(edgeConfig)) {
      TraceTraffic traffic =
          new TraceTraffic("http://localhost:" + edge.httpPort() + "/v1/traces", 2);
      try (traffic) {
        TraceTraffic.awaitMore(traffic.ok, 100);
        kafka.stopBroker(0);
        TraceTraffic.awaitMore(traffic.ok, 100); // two replicas in sync: still acknowledged
        kafka.stopBroker(1);
        // Long enough (each 503 waits out the 3 s request timeout) that the streams app's
        // transactions and Connect's commits fail too, not just the edge's produce requests.
        TraceTraffic.awaitMore(traffic.unavailable, 20);
        kafka.startBroker(0);
        kafka.startBroker(1);
        kafka.awaitBrokers(3);
        TraceTraffic.awaitMore(traffic.ok, 100);
      }

      // Every acknowledged kept trace is decided once the streams app has caught up.
      String sampled = catalog.name(Topic.TRACES_SAMPLED);
      Map<String, List<String>> spansByTrace =
          Awaitility.await("acknowledged kept traces in " + sampled)
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> TraceTraffic.spansByTrace(kafka.readAll(sampled)),
                  m -> m.keySet().containsAll(traffic.ackedKept));
      traffic.assertKeptExactlyOnce(spansByTrace, sampled);

      // The sink delivers everything the streams app kept, every span (at least once).
      Awaitility.await("the file sink delivered every span of every kept trace")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                Map<String, Set<String>> delivered = deliveredSpans(files.resolve("traces.jsonl"));
                return spansByTrace.entrySet().stream()
                    .allMatch(
                        e ->
                            delivered.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()));
              });
      System.out.printf(
          "PipelineFailoverIT: %d requests acknowledged, %d answered 503; %d kept traces decided"
              + " once and delivered%n",
          traffic.ok.get(), traffic.unavailable.get(), spansByTrace.size());
    }
  }

  /**
   * Span IDs by trace ID in the file sink's OTLP JSON lines (IDs are hex there, as OTLP/JSON says);
   * a span delivered twice (at least once) counts once.
   */
  private static Map<String, Set<String>> deliveredSpans(Path file) throws Exception {
    Map<String, Set<String>> out = new HashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      for (JsonNode span : json.readTree(line).findParents("spanId")) {
        out.computeIfAbsent(
                span.path("traceId").asText().toLowerCase(java.util.Locale.ROOT),
                k -> new HashSet<>())
            .add(span.path("spanId").asText().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }
}
