package io.otelstream.streams.it;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.config.ConfigLoader;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Shared plumbing of the streams integration tests (and the replay module's). */
public final class StreamsKit {
  private StreamsKit() {}

  public static String yaml(
      KafkaBroker kafka,
      String appId,
      Path stateDir,
      int adminPort,
      String topicsYaml,
      String tailSampling) {
    return yaml(kafka, appId, stateDir, adminPort, topicsYaml, tailSampling, "");
  }

  /** As above, with more Kafka settings (lines indented by two spaces). */
  public static String yaml(
      KafkaBroker kafka,
      String appId,
      Path stateDir,
      int adminPort,
      String topicsYaml,
      String tailSampling,
      String moreKafka) {
    return "application_id: "
        + appId
        + "\n"
        + "state_dir: "
        + stateDir
        + "\n"
        + "admin: {port: "
        + adminPort
        + "}\n"
        + "kafka:\n  bootstrap.servers: "
        + kafka.bootstrapServers()
        + "\n  commit.interval.ms: 200\n"
        // A killed instance's partitions move after the session timeout: keep it short.
        + "  session.timeout.ms: 6000\n  heartbeat.interval.ms: 1000\n"
        + moreKafka
        // Small, so that in-flight traces are held in both tiers, heap and RocksDB, and move
        // between them: the crash, rescale and replay tests cover both.
        + "in_flight_heap: 64KiB\n"
        + "topics: "
        + topicsYaml
        + "\n"
        + "tail_sampling:\n"
        + tailSampling.indent(2);
  }

  /** An app written to a file for child JVMs that a test kills: its admin port and topics. */
  record Child(int adminPort, Path config, TopicCatalog topics) {
    /** Starts the app in its own JVM (StreamsMain), appending its output to {@code log}. */
    Process start(Path log) throws java.io.IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      return new ProcessBuilder(
              java,
              "-Xmx256m",
              "-cp",
              System.getProperty("java.class.path"),
              StreamsMain.class.getName(),
              config.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    }
  }

  /** Picks a free admin port, writes the configuration under {@code dir}, applies the topics. */
  static Child child(KafkaBroker kafka, String appId, Path dir, String policies) throws Exception {
    return child(kafka, appId, dir, policies, "");
  }

  /** As above, with more top-level YAML (metrics, logs) appended. */
  static Child child(KafkaBroker kafka, String appId, Path dir, String policies, String more)
      throws Exception {
    return child(
        kafka,
        appId,
        dir,
        policies,
        more,
        "{prefix: " + appId + "., replication_factor: 1, min_insync_replicas: 1}",
        "");
  }

  /** As above, with the topics settings and more Kafka settings given. */
  static Child child(
      KafkaBroker kafka,
      String appId,
      Path dir,
      String policies,
      String more,
      String topicsYaml,
      String moreKafka)
      throws Exception {
    int port = io.otelstream.kafka.FreePorts.next();
    String yaml =
        yaml(kafka, appId, dir.resolve("state"), port, topicsYaml, policies, moreKafka) + more;
    TopicCatalog topics = applyTopics(kafka, config(yaml));
    Path file = dir.resolve("streams.yaml");
    java.nio.file.Files.writeString(file, yaml);
    return new Child(port, file, topics);
  }

  public static StreamsAppConfig config(String yaml) {
    return new ConfigLoader(Map.of()).parse(yaml, StreamsAppConfig.class, "streams-test.yaml");
  }

  public static TopicCatalog applyTopics(KafkaBroker kafka, StreamsAppConfig config) {
    TopicCatalog catalog = new TopicCatalog(config.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog).apply(false);
    }
    return catalog;
  }

  /** Sum of a counter over all its label sets, scraped from an admin port. */
  public static double metric(int adminPort, String name) {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + adminPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return body.lines()
          // A name may carry the start of a label set, e.g. name{outcome="kept".
          .filter(
              l ->
                  l.startsWith(name + "{")
                      || l.startsWith(name + " ")
                      || (name.contains("{") && l.startsWith(name)))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Kept spans by trace key ("fragment" attribute values), and records per trace key. */
  static Map<String, List<Long>> keptSpans(
      List<ConsumerRecord<byte[], byte[]>> records, Map<String, Integer> recordsPerTrace)
      throws Exception {
    Map<String, List<Long>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String key = new String(r.key(), StandardCharsets.US_ASCII);
      recordsPerTrace.merge(key, 1, Integer::sum);
      for (var rs : ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
        for (var ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            out.computeIfAbsent(key, k -> new ArrayList<>())
                .add(s.getAttributes(0).getValue().getIntValue());
          }
        }
      }
    }
    return out;
  }
}
