package io.otelstream.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.otelstream.cli.Otelstream;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The chart through Helm itself (helm-java ships Helm's native library): strict lint, then rendered
 * manifests checked against the real thing. The ConfigMaps bind to the configuration records, the
 * connectors pass their own ConfigDef, the worker passes Connect's DistributedConfig, and the
 * command lines parse.
 */
class HelmChartTest {
  private static final Path CHART = Path.of("otelstream");
  private static final String KUBERNETES = "1.31.0";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> render(Map<String, Object> values) throws Exception {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName("obs")
            .withNamespace("telemetry")
            .withKubeVersion(KUBERNETES);
    template.set("kafka.bootstrapServers", "kafka-0.kafka:9092");
    values.forEach(template::set);
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).readValues(template.call())) {
      while (it.hasNext()) {
        JsonNode doc = (JsonNode) it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static JsonNode find(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static JsonNode container(JsonNode workload) {
    return workload.path("spec").path("template").path("spec").path("containers").get(0);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void parsesAsLauncherCommand(JsonNode container) throws Exception {
    String[] args = strings(container.path("args")).toArray(String[]::new);
    CommandLine.ParseResult parsed = new CommandLine(new Otelstream()).parseArgs(args);
    assertThat(parsed.hasSubcommand()).isTrue();
    assertThat(strings(container.path("command"))).contains("io.otelstream.cli.Otelstream");
    jvmAcceptsItsOptions(container);
  }

  /**
   * The JVM options before {@code -cp}, one argument each, start this machine's JVM (Java 17, as
   * the image's): a list of options passed as one argument would stop the pod at once.
   */
  private static void jvmAcceptsItsOptions(JsonNode container) throws Exception {
    List<String> command = strings(container.path("command"));
    List<String> options = command.subList(1, command.indexOf("-cp"));
    List<String> probe = new ArrayList<>();
    probe.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    probe.addAll(options);
    probe.add("-version");
    Process java = new ProcessBuilder(probe).redirectErrorStream(true).start();
    String out = new String(java.getInputStream().readAllBytes());
    assertThat(java.waitFor()).as("java %s -version:%n%s", options, out).isZero();
  }

  @Test
  void passesStrictLintWithTheRequiredValueSet(@TempDir Path dir) throws Exception {
    // helm lint --set has no equivalent here: lint a copy whose values carry the one required
    // value.
    Path copy = dir.resolve("otelstream");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Path values = copy.resolve("values.yaml");
    Files.writeString(
        values,
        Files.readString(values)
            .replace("bootstrapServers: \"\"", "bootstrapServers: \"kafka:9092\""));
    LintResult lint = new Helm(copy).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void withoutKafkaTheRenderFailsNamingTheValue() {
    assertThatThrownBy(
            () -> new Helm(CHART).template().withName("obs").withKubeVersion(KUBERNETES).call())
        .hasMessageContaining("kafka.bootstrapServers is required");
  }

  @Test
  void edgeConfigBindsAndMatchesTheContainer() throws Exception {
    List<JsonNode> docs = render(Map.of());
    String yaml =
        find(docs, "ConfigMap", "obs-otelstream-edge").path("data").path("edge.yaml").asText();
    EdgeConfig edge = new ConfigLoader(Map.of()).parse(yaml, EdgeConfig.class, "edge.yaml");
    assertThat(edge.kafka()).containsEntry("bootstrap.servers", "kafka-0.kafka:9092");

    JsonNode deployment = find(docs, "Deployment", "obs-otelstream-edge");
    JsonNode c = container(deployment);
    parsesAsLauncherCommand(c);
    Map<String, Integer> ports = new HashMap<>();
    c.path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    assertThat(ports)
        .containsEntry("otlp-grpc", edge.grpc().port())
        .containsEntry("otlp-http", edge.http().port())
        .containsEntry("admin", edge.admin().port());
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/health/ready");
    assertThat(deployment.path("spec").has("replicas")).as("the HPA owns replicas").isFalse();
    find(docs, "HorizontalPodAutoscaler", "obs-otelstream-edge");
    find(docs, "PodDisruptionBudget", "obs-otelstream-edge");
    JsonNode service = find(docs, "Service", "obs-otelstream-edge");
    assertThat(service.path("spec").path("ports").findValuesAsText("port"))
        .contains("4317", "4318");
  }

  @Test
  void streamsConfigBindsAndItsStateLivesOnAVolume() throws Exception {
    List<JsonNode> docs = render(Map.of());
    String yaml =
        find(docs, "ConfigMap", "obs-otelstream-streams")
            .path("data")
            .path("streams.yaml")
            .asText();
    StreamsAppConfig streams =
        new ConfigLoader(Map.of("POD_NAME", "obs-otelstream-streams-0"))
            .parse(yaml, StreamsAppConfig.class, "streams.yaml");
    assertThat(streams.kafka()).containsEntry("bootstrap.servers", "kafka-0.kafka:9092");
    assertThat(streams.tailSampling().policies()).hasSize(3);
    // Static membership: each pod is a group member by its own, stable name.
    assertThat(streams.kafka()).containsEntry("group.instance.id", "obs-otelstream-streams-0");

    JsonNode set = find(docs, "StatefulSet", "obs-otelstream-streams");
    JsonNode c = container(set);
    JsonNode podName =
        java.util.stream.StreamSupport.stream(c.path("env").spliterator(), false)
            .filter(e -> e.path("name").asText().equals("POD_NAME"))
            .findFirst()
            .orElseThrow();
    assertThat(podName.path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .isEqualTo("metadata.name");
    parsesAsLauncherCommand(c);
    assertThat(c.path("volumeMounts").findValuesAsText("mountPath")).contains(streams.stateDir());
    assertThat(
            set.path("spec")
                .path("volumeClaimTemplates")
                .get(0)
                .path("metadata")
                .path("name")
                .asText())
        .isEqualTo("state");
    assertThat(set.path("spec").path("replicas").asInt()).isEqualTo(3);
  }

  @Test
  void keda_scalesStreamsOnTheConsumerGroupsLag() throws Exception {
    List<JsonNode> docs =
        render(
            Map.of(
                "streams.autoscaling.enabled",
                true,
                "streams.config.application_id",
                "prod-sampler"));
    JsonNode scaled = find(docs, "ScaledObject", "obs-otelstream-streams");
    JsonNode trigger = scaled.path("spec").path("triggers").get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("kafka");
    assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo("prod-sampler");
    assertThat(trigger.path("metadata").path("bootstrapServers").asText())
        .isEqualTo("kafka-0.kafka:9092");
    assertThat(find(docs, "StatefulSet", "obs-otelstream-streams").path("spec").has("replicas"))
        .isFalse();
  }

  @Test
  void alertRulesShipAsAPrometheusRuleWithTheRunbookBase() throws Exception {
    // Every alert of the one rule file, not a subset.
    assertThat(render(Map.of())).noneMatch(d -> "PrometheusRule".equals(d.path("kind").asText()));
    List<JsonNode> docs =
        render(
            Map.of(
                "monitoring.prometheusRule.enabled",
                true,
                "monitoring.runbookBaseUrl",
                "https://wiki.example/otelstream-runbooks",
                "monitoring.prometheusRule.labels.release",
                "prometheus"));
    JsonNode rule = find(docs, "PrometheusRule", "obs-otelstream");
    assertThat(rule.path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
    List<String> alerts = new ArrayList<>();
    List<String> runbooks = new ArrayList<>();
    rule.path("spec")
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r -> {
                          alerts.add(r.path("alert").asText());
                          runbooks.add(r.path("annotations").path("runbook_url").asText());
                        }));
    assertThat(alerts)
        .contains("OtelstreamEdgeDown", "OtelstreamStreamsLagHigh", "OtelstreamSinkBackendFailing")
        .hasSize(alertsInRuleFile());
    assertThat(runbooks)
        .allMatch(u -> u.startsWith("https://wiki.example/otelstream-runbooks#otelstream"));
  }

  @Test
  void podMonitorsScrapeTheAdminPortsAsTheJobsTheRulesSelect() throws Exception {
    List<JsonNode> docs = render(Map.of("monitoring.podMonitor.enabled", true));
    for (String component : List.of("edge", "streams", "connect")) {
      JsonNode monitor = find(docs, "PodMonitor", "obs-otelstream-" + component);
      JsonNode endpoint = monitor.path("spec").path("podMetricsEndpoints").get(0);
      assertThat(endpoint.path("port").asText()).isEqualTo("admin");
      assertThat(endpoint.path("relabelings").get(0).path("replacement").asText())
          .isEqualTo("otelstream-" + component);
      assertThat(
              monitor
                  .path("spec")
                  .path("selector")
                  .path("matchLabels")
                  .path("app.kubernetes.io/component")
                  .asText())
          .isEqualTo(component);
    }
  }

  @Test
  void connectServesItsSinksMetricsOnTheAdminPortTheMonitorScrapes() throws Exception {
    List<JsonNode> docs = render(Map.of());
    String properties =
        find(docs, "ConfigMap", "obs-otelstream-connect")
            .path("data")
            .path("connect.properties")
            .asText();
    assertThat(properties)
        .contains(
            "metric.reporters=org.apache.kafka.common.metrics.JmxReporter,"
                + "io.otelstream.connect.metrics.PrometheusMetricsReporter")
        .contains("consumer.metric.reporters=")
        .contains("otelstream.metrics.port=13135");
    JsonNode connect = container(find(docs, "Deployment", "obs-otelstream-connect"));
    assertThat(connect.path("ports").findValuesAsText("name")).contains("admin");
    assertThat(connect.path("ports").findValues("containerPort"))
        .extracting(JsonNode::asInt)
        .contains(13135);
    assertThat(connect.path("env").findValuesAsText("value"))
        .contains("/opt/otelstream/connect-metrics/*");
  }

  @Test
  void dashboardsShipAsConfigMapsWithTheSidecarLabel() throws Exception {
    assertThat(render(Map.of()))
        .noneMatch(d -> d.path("metadata").path("name").asText().endsWith("-dashboard"));
    List<JsonNode> docs =
        render(
            Map.of(
                "monitoring.grafanaDashboards.enabled", true,
                "monitoring.grafanaDashboards.label", "grafana_dashboard",
                "monitoring.grafanaDashboards.labelValue", "yes"));
    List<String> files;
    try (Stream<Path> listed = Files.list(Path.of("otelstream/files/grafana"))) {
      files = listed.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(files).hasSize(4);
    for (String file : files) {
      String name =
          "obs-otelstream-" + file.replace("otelstream-", "").replace(".json", "") + "-dashboard";
      JsonNode map = find(docs, "ConfigMap", name);
      assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText())
          .isEqualTo("yes");
      assertThat(map.path("metadata").path("annotations").path("grafana_folder").asText())
          .isEqualTo("otelstream");
      JsonNode dashboard = YAML.readTree(map.path("data").path(file).asText());
      assertThat(dashboard)
          .isEqualTo(YAML.readTree(Files.readString(Path.of("otelstream/files/grafana", file))));
    }
  }

  @Test
  void topicsAreAppliedByAJobPerRevisionWithTheKafkaClientProperties() throws Exception {
    List<JsonNode> docs =
        render(
            Map.of(
                "kafka.properties.security\\.protocol", "SASL_SSL",
                "kafka.properties.sasl\\.jaas\\.config", "${KAFKA_JAAS}"));
    JsonNode job = find(docs, "Job", "obs-otelstream-topics-1");
    parsesAsLauncherCommand(container(job));
    List<String> args = strings(container(job).path("args"));
    assertThat(args).startsWith("topics", "apply");
    Path admin = Files.createTempFile("admin", ".properties");
    Files.writeString(
        admin,
        find(docs, "ConfigMap", "obs-otelstream-topics")
            .path("data")
            .path(Path.of(args.get(args.indexOf("--command-config") + 1)).getFileName().toString())
            .asText());
    assertThat(new ConfigLoader(Map.of("KAFKA_JAAS", "jaas-from-secret")).loadProperties(admin))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "jaas-from-secret");
    String yaml =
        find(docs, "ConfigMap", "obs-otelstream-topics").path("data").path("topics.yaml").asText();
    TopicsConfig topics = new ConfigLoader(Map.of()).parse(yaml, TopicsConfig.class, "topics.yaml");
    assertThat(topics.replicationFactor()).isEqualTo((short) 3);
  }

  @Test
  void connectorsPassTheirOwnValidationAndReadThePipelinesTopics() throws Exception {
    List<JsonNode> docs =
        render(
            Map.of(
                "topics.config.prefix",
                "prod.",
                "topics.config.topics.otlp-logs-processed.name",
                "logs-kept",
                "connect.connectors.metrics.settings.mimir\\.protocol",
                "otlp",
                "connect.connectors.metrics.settings.backend\\.url",
                "https://mimir.example/otlp/v1/metrics"));
    TopicsConfig topicsConfig =
        new ConfigLoader(Map.of())
            .parse(
                find(docs, "ConfigMap", "obs-otelstream-topics")
                    .path("data")
                    .path("topics.yaml")
                    .asText(),
                TopicsConfig.class,
                "topics.yaml");
    TopicCatalog catalog = new TopicCatalog(topicsConfig);
    JsonNode data = find(docs, "ConfigMap", "obs-otelstream-connectors").path("data");
    Map<String, Topic> expected =
        Map.of(
            "traces", Topic.TRACES_SAMPLED,
            "metrics", Topic.METRICS_PROCESSED,
            "logs", Topic.LOGS_PROCESSED);
    for (Map.Entry<String, Topic> e : expected.entrySet()) {
      Map<String, String> config =
          JSON.readValue(
              data.path(e.getKey() + ".json").asText(),
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
      assertThat(config.get("kafka.bootstrap.servers"))
          .as("the brokers, to count records retention deleted before the sink read them")
          .isEqualTo("kafka-0.kafka:9092");
    }
    assertThat(catalog.name(Topic.LOGS_PROCESSED)).isEqualTo("prod.logs-kept");
    find(docs, "Job", "obs-otelstream-connectors-1");
  }

  @Test
  void anUnknownConnectorIsNamed() {
    assertThatThrownBy(() -> render(Map.of("connect.connectors.logs.connector", "elastic")))
        .hasMessageContaining(
            "connect.connectors.logs.connector must be file, tempo, mimir or loki")
        .hasMessageContaining("elastic");
  }

  @Test
  void theConnectWorkerPassesDistributedConfig() throws Exception {
    List<JsonNode> docs = render(Map.of("connect.worker.security\\.protocol", "SSL"));
    Properties worker = new Properties();
    worker.load(
        new StringReader(
            find(docs, "ConfigMap", "obs-otelstream-connect")
                .path("data")
                .path("connect.properties")
                .asText()));
    Map<String, String> props = new HashMap<>();
    worker.stringPropertyNames().forEach(k -> props.put(k, worker.getProperty(k)));
    new DistributedConfig(props);
    assertThat(props)
        .containsEntry("bootstrap.servers", "kafka-0.kafka:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("config.storage.replication.factor", "3")
        .containsEntry("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    JsonNode c = container(find(docs, "Deployment", "obs-otelstream-connect"));
    assertThat(strings(c.path("command")).get(1)).endsWith("connect.properties");
  }

  private static int alertsInRuleFile() throws java.io.IOException {
    return (int)
        java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("otelstream/files/prometheus/alerts.yaml"))
            .stream()
            .filter(l -> l.trim().startsWith("- alert:"))
            .count();
  }

  /**
   * Every pod and container runs locked down; the chart's values can loosen it, not the default.
   */
  @Test
  void everyPodAndContainerRunsLockedDown() throws Exception {
    List<JsonNode> docs = render(Map.of());
    int workloads = 0;
    for (JsonNode doc : docs) {
      String kind = doc.path("kind").asText();
      if (!List.of("Deployment", "StatefulSet", "Job").contains(kind)) {
        continue;
      }
      workloads++;
      String name = kind + " " + doc.path("metadata").path("name").asText();
      JsonNode pod = doc.path("spec").path("template").path("spec");
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
      assertThat(pod.path("securityContext").path("runAsUser").isInt()).as(name).isTrue();
      assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
          .as(name)
          .isEqualTo("RuntimeDefault");
      for (JsonNode c : pod.path("containers")) {
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
        assertThat(strings(sc.path("capabilities").path("drop"))).as(name).contains("ALL");
        assertThat(c.path("volumeMounts").findValuesAsText("mountPath"))
            .as(name + ": a writable /tmp")
            .contains("/tmp");
      }
    }
    assertThat(workloads).isGreaterThanOrEqualTo(4);
  }

  @Test
  void networkPoliciesOpenOnlyWhatEachComponentServes() throws Exception {
    List<JsonNode> docs = render(Map.of());
    JsonNode edge = find(docs, "NetworkPolicy", "obs-otelstream-edge");
    JsonNode otlp = edge.path("spec").path("ingress").get(0);
    assertThat(otlp.path("ports").findValuesAsText("port"))
        .containsExactly("otlp-grpc", "otlp-http");
    assertThat(otlp.has("from")).as("OTLP from any source by default").isFalse();
    JsonNode admin = edge.path("spec").path("ingress").get(1);
    assertThat(admin.path("ports").findValuesAsText("port")).containsExactly("admin");
    assertThat(
            admin
                .path("from")
                .get(0)
                .path("namespaceSelector")
                .path("matchLabels")
                .path("kubernetes.io/metadata.name")
                .asText())
        .isEqualTo("monitoring");
    JsonNode streams = find(docs, "NetworkPolicy", "obs-otelstream-streams");
    assertThat(streams.path("spec").path("ingress")).hasSize(1);
    JsonNode connect = find(docs, "NetworkPolicy", "obs-otelstream-connect");
    JsonNode rest = connect.path("spec").path("ingress").get(0);
    assertThat(rest.path("ports").findValuesAsText("port")).containsExactly("rest");
    assertThat(rest.path("from")).hasSize(2);
    assertThat(
            rest.path("from")
                .get(0)
                .path("podSelector")
                .path("matchLabels")
                .path("app.kubernetes.io/component")
                .asText())
        .isEqualTo("connectors");
    // The admin port is not on the OTLP Service (a LoadBalancer when asked for), but on its own.
    JsonNode service = find(docs, "Service", "obs-otelstream-edge");
    assertThat(service.path("spec").path("ports").findValuesAsText("name"))
        .containsExactly("otlp-grpc", "otlp-http");
    assertThat(
            find(docs, "Service", "obs-otelstream-edge-admin")
                .path("spec")
                .path("ports")
                .findValuesAsText("name"))
        .containsExactly("admin");
    assertThat(render(Map.of("networkPolicy.enabled", false)))
        .noneMatch(d -> d.path("kind").asText().equals("NetworkPolicy"));
  }

  @Test
  void everyResourceNamesItsNamespaceAndNoPodMountsAServiceAccountToken() throws Exception {
    List<JsonNode> docs = render(Map.of("image.digest", "sha256:" + "ab".repeat(32)));
    for (JsonNode d : docs) {
      assertThat(d.path("metadata").path("namespace").asText())
          .as("namespace of %s %s", d.path("kind").asText(), d.path("metadata").path("name"))
          .isEqualTo("telemetry");
      JsonNode pod = d.path("spec").path("template").path("spec");
      if (!pod.isMissingNode()) {
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
            .as("service account token of %s", d.path("metadata").path("name"))
            .isFalse();
        for (JsonNode c : pod.path("containers")) {
          assertThat(c.path("resources").path("limits").has("cpu"))
              .as("cpu limit of %s", c.path("name"))
              .isTrue();
        }
      }
    }
    assertThat(container(find(docs, "Deployment", "obs-otelstream-edge")).path("image").asText())
        .as("an image pinned by digest")
        .isEqualTo("ghcr.io/otelstream/otelstream@sha256:" + "ab".repeat(32));
    assertThat(
            find(docs, "Deployment", "obs-otelstream-edge")
                .path("metadata")
                .path("annotations")
                .has("checkov.io/skip2"))
        .as("no digest check skipped when a digest is set")
        .isFalse();
  }

  @Test
  void connectsRestApiAsksForCredentialsAndItsEnvProviderHasAnAllowList() throws Exception {
    List<JsonNode> docs = render(Map.of());
    String worker =
        find(docs, "ConfigMap", "obs-otelstream-connect")
            .path("data")
            .path("connect.properties")
            .asText();
    assertThat(worker)
        .contains("rest.extension.classes=io.otelstream.sinks.rest.BasicAuthRestExtension")
        .contains("otelstream.rest.auth.users.file=/etc/otelstream-auth/users.properties")
        .contains(
            "config.providers.env.param.allowlist.pattern=^(POD_IP|OTELSTREAM_SINK_[A-Z0-9_]+)$");
    JsonNode secret = find(docs, "Secret", "obs-otelstream-connect-auth");
    String password = secret.path("stringData").path("password").asText();
    assertThat(password).hasSize(32);
    assertThat(secret.path("stringData").path("users.properties").asText())
        .isEqualTo("otelstream=" + password + "\n");
    JsonNode connect = find(docs, "Deployment", "obs-otelstream-connect");
    assertThat(connect.path("spec").path("template").path("spec").path("volumes").toString())
        .contains("\"secretName\":\"obs-otelstream-connect-auth\"");
    JsonNode jobPod =
        find(docs, "Job", "obs-otelstream-connectors-1").path("spec").path("template").path("spec");
    assertThat(jobPod.path("volumes").toString()).contains("obs-otelstream-connect-auth");
    assertThat(jobPod.path("containers").get(0).path("args").get(0).asText())
        .contains("-u \"$auth\"")
        .contains("/etc/otelstream-auth/password");

    List<JsonNode> own = render(Map.of("connect.restAuth.existingSecret", "ops-connect-users"));
    assertThat(own).noneMatch(d -> "Secret".equals(d.path("kind").asText()));
    assertThat(find(own, "Deployment", "obs-otelstream-connect").toString())
        .contains("\"secretName\":\"ops-connect-users\"");
  }

  @Test
  void perSignalRunsAnAppPerSignalScaledOnItsOwnTopicsLag() throws Exception {
    List<JsonNode> docs =
        render(
            Map.of(
                "streams.perSignal", true,
                "streams.autoscaling.enabled", true,
                "streams.autoscaling.authentication.secretName", "kafka-keda"));
    java.util.Set<String> applicationIds = new java.util.HashSet<>();
    for (String signal : List.of("traces", "metrics", "logs")) {
      String name = "obs-otelstream-streams-" + signal;
      StreamsAppConfig streams =
          new ConfigLoader(Map.of("POD_NAME", name + "-0"))
              .parse(
                  find(docs, "ConfigMap", name).path("data").path("streams.yaml").asText(),
                  StreamsAppConfig.class,
                  "streams.yaml");
      assertThat(streams.signals()).containsExactly(io.otelstream.schemas.Signal.of(signal));
      applicationIds.add(streams.applicationId());
      JsonNode set = find(docs, "StatefulSet", name);
      assertThat(
              set.path("spec")
                  .path("selector")
                  .path("matchLabels")
                  .path("otelstream.io/signal")
                  .asText())
          .isEqualTo(signal);
      JsonNode trigger = find(docs, "ScaledObject", name).path("spec").path("triggers").get(0);
      assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo("otlp-" + signal);
      assertThat(trigger.path("metadata").path("consumerGroup").asText())
          .isEqualTo("otelstream-" + signal);
      assertThat(trigger.path("authenticationRef").path("name").asText())
          .isEqualTo(name + "-kafka");
      assertThat(find(docs, "TriggerAuthentication", name + "-kafka").toString())
          .contains("\"name\":\"kafka-keda\"")
          .contains("\"parameter\":\"sasl\"");
    }
    assertThat(applicationIds)
        .as("an application id, so a consumer group and state, each")
        .hasSize(3);
    assertThat(docs)
        .as("no all-signals app beside them")
        .noneMatch(
            d ->
                "StatefulSet".equals(d.path("kind").asText())
                    && "obs-otelstream-streams".equals(d.path("metadata").path("name").asText()));
  }

  @Test
  void secretsOfYoursAreMountedAsFilesWhereEachComponentReadsThem() throws Exception {
    List<JsonNode> docs =
        render(
            Map.of(
                "kafka.tls.existingSecret", "kafka-client",
                "edge.auth.existingSecret", "edge-tokens",
                "connect.backendSecret", "backend-credentials"));
    for (String[] workload :
        List.of(
            new String[] {"Deployment", "obs-otelstream-edge"},
            new String[] {"StatefulSet", "obs-otelstream-streams"},
            new String[] {"Job", "obs-otelstream-topics-1"},
            new String[] {"Deployment", "obs-otelstream-connect"})) {
      JsonNode pod =
          find(docs, workload[0], workload[1]).path("spec").path("template").path("spec");
      assertThat(pod.path("volumes").toString())
          .as("Kafka client files in %s", workload[1])
          .contains("\"secretName\":\"kafka-client\"");
      assertThat(pod.path("containers").get(0).path("volumeMounts").toString())
          .contains("/etc/otelstream-kafka-tls");
    }
    // (The edge reads the file when its configuration loads, so it is checked as YAML here.)
    JsonNode edge =
        YAML.readTree(
            find(docs, "ConfigMap", "obs-otelstream-edge").path("data").path("edge.yaml").asText());
    assertThat(edge.path("auth").path("tokens_file").asText())
        .isEqualTo("/etc/otelstream-edge-auth/tokens");
    assertThat(
            find(docs, "Deployment", "obs-otelstream-edge")
                .path("spec")
                .path("template")
                .path("spec")
                .path("volumes")
                .toString())
        .contains("\"secretName\":\"edge-tokens\"");
    String worker =
        find(docs, "ConfigMap", "obs-otelstream-connect")
            .path("data")
            .path("connect.properties")
            .asText();
    assertThat(worker)
        .contains("config.providers=env,directory")
        .contains("config.providers.directory.param.allowed.paths=/etc/otelstream-backend");
    assertThat(find(docs, "Deployment", "obs-otelstream-connect").toString())
        .contains("\"secretName\":\"backend-credentials\"");
  }
}
