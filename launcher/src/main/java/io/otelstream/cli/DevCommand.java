package io.otelstream.cli;

import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.EmbeddedKafka;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import io.otelstream.topics.TopicsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "dev",
    description = "Run the whole pipeline on this machine on an embedded single-node Kafka.")
final class DevCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = ".otelstream",
      description =
          "where Kafka keeps its data (default: ${DEFAULT-VALUE}); a restart resumes from it")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "embedded Kafka port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--kafka-only",
      description = "start only the embedded Kafka and apply the topics; run the edge yourself")
  boolean kafkaOnly;

  @Option(
      names = "--edge-config",
      description = "edge YAML file; Kafka settings in it are replaced by the embedded broker's")
  Path edgeConfig;

  @Override
  public Integer call() {
    EmbeddedKafka kafka =
        new EmbeddedKafka(dataDir.toAbsolutePath().resolve("kafka"), kafkaPort).start();
    EdgeServer edge = null;
    try {
      EdgeConfig base =
          edgeConfig == null
              ? EdgeConfig.defaults()
              : ConfigLoader.withSystemEnv().load(edgeConfig, EdgeConfig.class);
      EdgeConfig config = withBootstrap(withSingleBrokerTopics(base), kafka.bootstrapServers());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        System.out.print(
            new TopicReconciler(admin, new TopicCatalog(config.topics())).apply(false));
      }
      if (kafkaOnly) {
        System.out.printf(
            "%notelstream dev: Kafka only, on %s (Ctrl-C stops it)%n", kafka.bootstrapServers());
      } else {
        edge = EdgeServer.start(config);
        System.out.printf(
            "%notelstream dev is running (Ctrl-C stops it)%n"
                + "  Kafka         %s  (data in %s)%n"
                + "  OTLP/gRPC     localhost:%d%n"
                + "  OTLP/HTTP     http://localhost:%d/v1/{traces,metrics,logs}%n"
                + "  edge admin    http://localhost:%d/health/ready  /metrics%n"
                + "  point an SDK: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:%d%n",
            kafka.bootstrapServers(),
            kafka.dataDir(),
            edge.grpcPort(),
            edge.httpPort(),
            edge.adminPort(),
            edge.grpcPort());
      }
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    EdgeServer running = edge;
    Shutdown.awaitSignal(
        () -> {
          if (running != null) {
            running.close();
          }
          kafka.close();
          System.out.println("otelstream dev stopped");
        });
    return 0;
  }

  static EdgeConfig withBootstrap(EdgeConfig c, String bootstrap) {
    Map<String, String> kafka = new HashMap<>(c.kafka());
    kafka.put("bootstrap.servers", bootstrap);
    return new EdgeConfig(
        c.grpc(),
        c.http(),
        c.admin(),
        c.tls(),
        c.auth(),
        c.cors(),
        c.limits(),
        c.eventLoops(),
        c.shutdownTimeout(),
        kafka,
        c.topics());
  }

  private static EdgeConfig withSingleBrokerTopics(EdgeConfig c) {
    TopicsConfig t = c.topics();
    TopicsConfig single =
        new TopicsConfig(
            t.prefix(), (short) 1, 1, t.compression(), t.maxMessageBytes(), t.topics());
    return new EdgeConfig(
        c.grpc(),
        c.http(),
        c.admin(),
        c.tls(),
        c.auth(),
        c.cors(),
        c.limits(),
        c.eventLoops(),
        c.shutdownTimeout(),
        c.kafka(),
        single);
  }
}
