package io.otelstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.KafkaCluster;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int SPANS = 3;

  private final Set<String> sentKept = ConcurrentHashMap.newKeySet();
  private final Set<String> sentDropped = ConcurrentHashMap.newKeySet();
  private final Set<String> ackedKept = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger other = new AtomicInteger();

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
                + "    - {name: keep, type: string_attribute,"
                + " string_attribute: {key: verdict, values: [keep-me]}}\n",
            StreamsAppConfig.class,
            "streams");
    TopicCatalog catalog = new TopicCatalog(edgeConfig.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    Path files = dir.resolve("files");
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    try (DevConnect connect =
            new DevConnect(
                kafka.bootstrapServers(),
                freePort(),
                0,
                catalog,
                files,
                loader.parse("{}", DevSinks.class, "sinks"));
        StreamsApp streams = StreamsApp.start(streamsConfig);
        EdgeServer edge = EdgeServer.start(edgeConfig)) {
      String url = "http://localhost:" + edge.httpPort() + "/v1/traces";
      for (int c = 0; c < 2; c++) {
        Thread t = new Thread(() -> send(url, running), "client-" + c);
        t.start();
        clients.add(t);
      }
      awaitMore(ok, 100);
      kafka.stopBroker(0);
      awaitMore(ok, 100); // two replicas in sync: still acknowledged and decided
      kafka.stopBroker(1);
      // Long enough (each 503 waits out the 3 s request timeout) that the streams app's
      // transactions and Connect's commits fail too, not just the edge's produce requests.
      awaitMore(unavailable, 20);
      kafka.startBroker(0);
      kafka.startBroker(1);
      kafka.awaitBrokers(3);
      awaitMore(ok, 100);
      running.set(false);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertThat(other.get()).as("answers other than 200 and 503").isZero();

      // Every acknowledged kept trace is decided once the streams app has caught up.
      String sampled = catalog.name(Topic.TRACES_SAMPLED);
      Map<String, List<String>> spansByTrace =
          Awaitility.await("acknowledged kept traces in " + sampled)
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(2))
              .until(() -> spansByTrace(sampled), m -> m.keySet().containsAll(ackedKept));
      assertThat(sentDropped)
          .as("dropped traces in %s", sampled)
          .doesNotContainAnyElementsOf(spansByTrace.keySet());
      assertThat(sentKept).as("only traces that were sent").containsAll(spansByTrace.keySet());
      spansByTrace.forEach(
          (trace, spans) -> {
            assertThat(spans).as("spans of %s, each exactly once", trace).hasSize(SPANS);
            assertThat(new HashSet<>(spans)).as("distinct spans of %s", trace).hasSize(SPANS);
          });

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
          ok.get(), unavailable.get(), spansByTrace.size());
    } finally {
      running.set(false);
    }
  }

  /** One trace of {@link #SPANS} spans per request; every other trace is one the policy keeps. */
  private void send(String url, AtomicBoolean running) {
    while (running.get()) {
      byte[] id = new byte[16];
      ThreadLocalRandom.current().nextBytes(id);
      String hex = HexFormat.of().formatHex(id);
      boolean keep = ThreadLocalRandom.current().nextBoolean();
      (keep ? sentKept : sentDropped).add(hex);
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(trace(id, keep)))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          ok.incrementAndGet();
          if (keep) {
            ackedKept.add(hex);
          }
        } else if (r.statusCode() == 503) {
          unavailable.incrementAndGet();
          Thread.sleep(200);
        } else {
          other.incrementAndGet();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        other.incrementAndGet();
      }
    }
  }

  private static byte[] trace(byte[] traceId, boolean keep) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < SPANS; i++) {
      byte[] spanId = new byte[8];
      ThreadLocalRandom.current().nextBytes(spanId);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(spanId))
              .setName("op-" + i)
              .setStartTimeUnixNano(now)
              .setEndTimeUnixNano(now + 1_000_000L)
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("verdict")
                      .setValue(
                          AnyValue.newBuilder().setStringValue(keep ? "keep-me" : "drop-me"))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("failover"))))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  /** Trace ID to the span IDs (with repeats) in the topic, committed records only. */
  private static Map<String, List<String>> spansByTrace(String topic) throws Exception {
    Map<String, List<String>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topic)) {
      for (ResourceSpans rs :
          ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            out.computeIfAbsent(
                    HexFormat.of().formatHex(s.getTraceId().toByteArray()), k -> new ArrayList<>())
                .add(HexFormat.of().formatHex(s.getSpanId().toByteArray()));
          }
        }
      }
    }
    return out;
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

  private static void awaitMore(AtomicInteger counter, int more) {
    int target = counter.get() + more;
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> counter.get() >= target);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
