package io.otelstream.cli;

import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the Kafka Streams app: tail sampling of otlp-traces (admin 13134).")
final class StreamsCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      description = "streams YAML file (see streams-topology/README.md)")
  Path config;

  @Option(names = "--bootstrap-server", description = "overrides kafka.bootstrap.servers")
  String bootstrap;

  @Override
  public Integer call() {
    StreamsAppConfig c = ConfigLoader.withSystemEnv().load(config, StreamsAppConfig.class);
    if (bootstrap != null) {
      c = c.withKafka(Map.of("bootstrap.servers", bootstrap));
    }
    StreamsApp app = StreamsApp.start(c);
    new Shutdown("otelstream streams").then("streams", app).awaitSignalAndStop();
    return 0;
  }
}
