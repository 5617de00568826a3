package io.otelstream.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.otelstream.cli.Otelstream;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * compose/ checked without a Docker engine: the file against the Compose Specification's JSON
 * schema, and everything it points at against the real thing. The launcher's command lines parse,
 * the mounted YAML binds to the real configuration records, the connectors pass their own
 * ConfigDef, and the worker properties pass Connect's DistributedConfig. Runs after the build
 * (failsafe), so the build outputs the cluster mounts exist.
 */
class ComposeFileIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode compose;

  @BeforeAll
  static void read() throws Exception {
    compose = YAML.readTree(Path.of("compose.yaml").toFile());
  }

  private static JsonNode service(String name) {
    JsonNode s = compose.path("services").path(name);
    assertThat(s.isMissingNode()).as("service " + name).isFalse();
    return s;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Error> validate(JsonNode document) throws Exception {
    try (InputStream in = ComposeFileIT.class.getResourceAsStream("/compose-spec.json")) {
      // The schema still carries draft-04's "id" next to its 2019-09 keywords: an annotation.
      Dialect dialect =
          Dialect.builder(Dialects.getDraft201909())
              .keyword(new NonValidationKeyword("id"))
              .build();
      Schema schema = SchemaRegistry.withDefaultDialect(dialect).getSchema(in);
      return schema.validate(document);
    }
  }

  @Test
  void matchesTheComposeSpecification() throws Exception {
    assertThat(validate(compose)).isEmpty();
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.path("services").path("edge")).put("restart_policy", "always");
    assertThat(validate(broken)).as("the schema catches an unknown key").isNotEmpty();
  }

  @Test
  void dependenciesNameServicesAndMountsExist() {
    compose
        .path("services")
        .properties()
        .forEach(
            service -> {
              service
                  .getValue()
                  .path("depends_on")
                  .fieldNames()
                  .forEachRemaining(
                      dep ->
                          assertThat(compose.path("services").has(dep))
                              .as(service.getKey() + " depends on " + dep)
                              .isTrue());
              for (String volume : strings(service.getValue().path("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                  assertThat(Path.of(source)).as(service.getKey() + " mounts " + source).exists();
                }
              }
            });
    assertThat(Path.of("../launcher/target/otelstream-launcher.jar")).exists();
    assertThat(Path.of("../sinks/target/plugin/otelstream-sinks")).isDirectory();
  }

  @Test
  void theLauncherCommandLinesParse() {
    for (String name : List.of("topics", "edge", "streams")) {
      List<String> args = strings(service(name).path("command"));
      CommandLine.ParseResult parsed =
          new CommandLine(new Otelstream()).parseArgs(args.toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as(name).isTrue();
      assertThat(parsed.errors()).as(name).isEmpty();
    }
  }

  /** The container's environment, as the compose file sets it for that service. */
  private static Map<String, String> environment(String name) {
    Map<String, String> env = new HashMap<>();
    service(name)
        .path("environment")
        .properties()
        .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  private static Path mounted(String containerPath) {
    assertThat(containerPath).startsWith("/etc/otelstream/");
    return Path.of("config").resolve(containerPath.substring("/etc/otelstream/".length()));
  }

  private static String argAfter(String service, String flag) {
    List<String> args = strings(service(service).path("command"));
    return args.get(args.indexOf(flag) + 1);
  }

  @Test
  void configurationFilesBindToTheRealConfiguration() {
    EdgeConfig edge =
        new ConfigLoader(environment("edge"))
            .load(mounted(argAfter("edge", "--config")), EdgeConfig.class);
    assertThat(edge.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
    assertThat(strings(service("edge").path("ports")))
        .contains(edge.grpc().port() + ":4317", edge.http().port() + ":4318");

    StreamsAppConfig streams =
        new ConfigLoader(environment("streams"))
            .load(mounted(argAfter("streams", "--config")), StreamsAppConfig.class);
    assertThat(streams.kafka()).containsEntry("bootstrap.servers", "kafka:9092");
    assertThat(strings(service("streams").path("volumes")))
        .contains("streams-state:" + streams.stateDir());

    TopicsConfig topics =
        new ConfigLoader(Map.of())
            .load(mounted(argAfter("topics", "--config")), TopicsConfig.class);
    assertThat(topics.replicationFactor()).isEqualTo((short) 1);
  }

  @Test
  void connectorsPassTheirOwnValidationAndReadThePipelinesTopics() throws Exception {
    TopicCatalog catalog =
        new TopicCatalog(
            new ConfigLoader(Map.of()).load(Path.of("config/topics.yaml"), TopicsConfig.class));
    Map<String, Topic> expected =
        Map.of(
            "traces", Topic.TRACES_SAMPLED,
            "metrics", Topic.METRICS_PROCESSED,
            "logs", Topic.LOGS_PROCESSED);
    for (Map.Entry<String, Topic> e : expected.entrySet()) {
      Map<String, String> config =
          JSON.readValue(
              Path.of("connectors", e.getKey() + ".json").toFile(),
              JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
      SinkConnector connector =
          (SinkConnector)
              Class.forName(config.get("connector.class")).getDeclaredConstructor().newInstance();
      for (ConfigValue v : connector.validate(config).configValues()) {
        assertThat(v.errorMessages()).as(e.getKey() + ": " + v.name()).isEmpty();
      }
      assertThat(config.get("topics")).isEqualTo(catalog.name(e.getValue()));
      assertThat(config.get("errors.deadletterqueue.topic.name"))
          .isEqualTo(catalog.name(Topic.DEADLETTER));
    }
  }

  @Test
  void theConnectWorkerFitsOneBrokerAndFindsThePlugin() throws Exception {
    Properties worker = new Properties();
    try (Reader r =
        Files.newBufferedReader(mounted(strings(service("connect").path("command")).get(1)))) {
      worker.load(r);
    }
    Map<String, String> props = new HashMap<>();
    worker.stringPropertyNames().forEach(k -> props.put(k, worker.getProperty(k)));
    new DistributedConfig(props); // throws on a missing or invalid setting
    assertThat(props)
        .containsEntry("config.storage.replication.factor", "1")
        .containsEntry("offset.storage.replication.factor", "1")
        .containsEntry("status.storage.replication.factor", "1")
        .containsEntry("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    assertThat(strings(service("connect").path("volumes")))
        .contains("../sinks/target/plugin:" + props.get("plugin.path") + ":ro");
  }

  @Test
  void prometheusScrapesEdgeStreamsAndConnectOnTheirPortsAndLoadsTheAlertRules() throws Exception {
    JsonNode prometheus = YAML.readTree(Path.of("config/prometheus.yml").toFile());
    java.util.Map<String, String> targets = new java.util.TreeMap<>();
    prometheus
        .path("scrape_configs")
        .forEach(
            job ->
                job.path("static_configs")
                    .forEach(
                        sc ->
                            sc.path("targets")
                                .forEach(
                                    t -> targets.put(job.path("job_name").asText(), t.asText()))));
    assertThat(targets)
        .containsEntry("otelstream-edge", "edge:13133")
        .containsEntry("otelstream-streams", "streams:13134")
        .containsEntry("otelstream-connect", "connect:13135");
    // The ports are the ones the services' configurations listen on (their admin defaults).
    assertThat(strings(service("edge").path("ports"))).anyMatch(p -> p.endsWith(":13133"));
    assertThat(strings(service("streams").path("ports"))).anyMatch(p -> p.endsWith(":13134"));
    assertThat(strings(service("connect").path("ports"))).anyMatch(p -> p.endsWith(":13135"));
    java.util.Properties connect = new java.util.Properties();
    try (var in = java.nio.file.Files.newBufferedReader(Path.of("config/connect.properties"))) {
      connect.load(in);
    }
    assertThat(connect.getProperty("metric.reporters"))
        .contains("io.otelstream.connect.metrics.PrometheusMetricsReporter");
    assertThat(connect.getProperty("consumer.metric.reporters"))
        .contains("io.otelstream.connect.metrics.PrometheusMetricsReporter");
    assertThat(connect.getProperty("otelstream.metrics.port")).isEqualTo("13135");
    assertThat(Path.of("../connect-metrics/target/classpath"))
        .isDirectoryContaining(
            p -> p.getFileName().toString().startsWith("otelstream-connect-metrics"));
    assertThat(strings(prometheus.path("rule_files")))
        .containsExactly("/etc/otelstream/rules/alerts.yaml");
    assertThat(strings(service("prometheus").path("volumes")))
        .contains("../helm/otelstream/files/prometheus:/etc/otelstream/rules:ro");
  }

  @Test
  void grafanaProvisionsTheChartsDashboardsFromTheirDirectory() throws Exception {
    JsonNode provider =
        YAML.readTree(Path.of("config/grafana-dashboards.yaml").toFile()).path("providers").get(0);
    String path = provider.path("options").path("path").asText();
    List<String> volumes = strings(service("grafana").path("volumes"));
    assertThat(volumes)
        .contains("../helm/otelstream/files/grafana:" + path + ":ro")
        .contains(
            "./config/grafana-dashboards.yaml:/etc/grafana/provisioning/dashboards/otelstream.yaml:ro");
    try (var files = java.nio.file.Files.list(Path.of("../helm/otelstream/files/grafana"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains(
              "otelstream-overview.json",
              "otelstream-edge.json",
              "otelstream-streams.json",
              "otelstream-sinks.json");
    }
  }

  @Test
  void prometheusSendsItsAlertsToAnAlertmanagerWhoseRoutesNameDefinedReceivers() throws Exception {
    JsonNode prometheus = YAML.readTree(Path.of("config/prometheus.yml").toFile());
    assertThat(prometheus.path("alerting").path("alertmanagers").toString())
        .contains("alertmanager:9093");
    assertThat(strings(service("alertmanager").path("ports"))).anyMatch(p -> p.endsWith(":9093"));
    assertThat(strings(service("alertmanager").path("volumes")))
        .contains("./config/alertmanager.yml:/etc/otelstream/alertmanager.yml:ro");
    JsonNode am = YAML.readTree(Path.of("config/alertmanager.yml").toFile());
    java.util.Set<String> receivers = new java.util.HashSet<>();
    am.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
    java.util.List<String> routed = new java.util.ArrayList<>();
    routed.add(am.path("route").path("receiver").asText());
    am.path("route").path("routes").forEach(r -> routed.add(r.path("receiver").asText()));
    assertThat(receivers).as("every routed receiver is defined").containsAll(routed);
    // The severities the routes match are the ones the alert rules set.
    String rules =
        java.nio.file.Files.readString(
            Path.of("..", "helm", "otelstream", "files", "prometheus", "alerts.yaml"));
    assertThat(rules).contains("severity: critical").contains("severity: warning");
  }
}
