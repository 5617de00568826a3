package io.otelstream.cli;

import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "edge",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the OTLP edge (gRPC 4317, HTTP 4318, admin 13133) against a Kafka cluster.")
final class EdgeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      description = "edge YAML file (see ingest-vertx/README.md); defaults apply without it")
  Path config;

  @Option(names = "--bootstrap-server", description = "overrides kafka.bootstrap.servers")
  String bootstrap;

  @Override
  public Integer call() {
    EdgeConfig c =
        config == null
            ? EdgeConfig.defaults()
            : ConfigLoader.withSystemEnv().load(config, EdgeConfig.class);
    if (bootstrap != null) {
      c = c.withKafkaProperty("bootstrap.servers", bootstrap);
    }
    EdgeServer edge = EdgeServer.start(c);
    new Shutdown("otelstream edge").then("edge", edge).awaitSignalAndStop();
    return 0;
  }
}
