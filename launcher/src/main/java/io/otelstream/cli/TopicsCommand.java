package io.otelstream.cli;

import io.otelstream.config.ConfigLoader;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import io.otelstream.topics.TopicReport;
import io.otelstream.topics.TopicsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Create the topics of the catalogue or report drift.",
      "apply: creates missing topics, grows partitions, sets drifted configs; never shrinks.",
      "verify: reports differences and exits 1 when there are any."
    })
final class TopicsCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "apply or verify")
  String action;

  @Option(names = "--bootstrap-server", required = true, description = "Kafka bootstrap servers")
  String bootstrap;

  @Option(names = "--config", description = "topics YAML file overriding the defaults")
  Path config;

  @Option(
      names = "--command-config",
      description =
          "Kafka admin client properties (security.protocol, sasl.*, ssl.*), as Kafka's tools take"
              + " them; ${ENV} is substituted")
  Path commandConfig;

  @Option(
      names = "--allow-traces-partition-growth",
      description =
          "allow adding partitions to otlp-traces (re-maps trace IDs; drain the pipeline first)")
  boolean allowTracesGrowth;

  @Override
  public Integer call() {
    TopicsConfig c =
        config == null
            ? TopicsConfig.defaults()
            : ConfigLoader.withSystemEnv().load(config, TopicsConfig.class);
    Map<String, Object> client = new HashMap<>();
    if (commandConfig != null) {
      client.putAll(ConfigLoader.withSystemEnv().loadProperties(commandConfig));
    }
    client.put("bootstrap.servers", bootstrap);
    client.putIfAbsent("client.id", "otelstream-topics");
    try (Admin admin = Admin.create(client)) {
      TopicReconciler reconciler = new TopicReconciler(admin, new TopicCatalog(c));
      TopicReport report =
          switch (action) {
            case "apply" -> reconciler.apply(allowTracesGrowth);
            case "verify" -> reconciler.verify();
            default ->
                throw new IllegalArgumentException(
                    "unknown action '" + action + "'; use apply or verify");
          };
      System.out.print(report);
      return report.hasDriftOrWarnings() ? 1 : 0;
    }
  }
}
