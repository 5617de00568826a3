package io.otelstream.dev;

import io.otelstream.cli.Shutdown;
import io.otelstream.cli.VersionProvider;
import io.otelstream.config.ConfigLoader;
import io.otelstream.edge.EdgeConfig;
import io.otelstream.edge.EdgeServer;
import io.otelstream.kafka.EmbeddedKafka;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import io.otelstream.topics.TopicsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the whole pipeline on this machine on an embedded single-node Kafka.")
final class DevCommand implements Callable<Integer> {
  private static final String DEV_STREAMS = "/io/otelstream/streams/dev-streams.yaml";

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = ".otelstream",
      description =
          "where Kafka and the streams state live (default: ${DEFAULT-VALUE}); a restart resumes from it")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "embedded Kafka port (default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--kafka-only",
      description = "start only the embedded Kafka and apply the topics; run the rest yourself")
  boolean kafkaOnly;

  @Option(
      names = "--connect-only",
      description =
          "start only the Kafka Connect worker with the sinks, against a dev Kafka already on"
              + " --kafka-port (a --kafka-only run): the pipeline's stages as separate processes")
  boolean connectOnly;

  @Option(
      names = "--edge-config",
      description = "edge YAML file; its Kafka and topic settings are replaced by dev's")
  Path edgeConfig;

  @Option(
      names = "--streams-admin-port",
      defaultValue = "13134",
      description = "streams app health and metrics port (default: ${DEFAULT-VALUE})")
  int streamsAdminPort;

  @Option(
      names = "--connect-port",
      defaultValue = "8083",
      description = "Kafka Connect REST port (default: ${DEFAULT-VALUE})")
  int connectPort;

  @Option(
      names = "--connect-metrics-port",
      defaultValue = "13135",
      description = "the sinks' Prometheus metrics port (default: ${DEFAULT-VALUE})")
  int connectMetricsPort;

  @Option(
      names = "--tempo",
      description =
          "send kept traces to Tempo instead of a file: http://host:4317 (OTLP/gRPC) or a .../v1/traces URL (OTLP/HTTP)")
  String tempo;

  @Option(
      names = "--mimir",
      description =
          "send metrics to a remote-write URL (Mimir, Prometheus) or a Mimir .../otlp/v1/metrics URL instead of a file")
  String mimir;

  @Option(
      names = "--loki",
      description =
          "send logs to a Loki push URL (.../loki/api/v1/push) or .../otlp/v1/logs URL instead of a file")
  String loki;

  @Option(
      names = "--sinks-config",
      description =
          "YAML file choosing each signal's connector and its settings (example: sinks/config/dev-sinks.yaml);"
              + " --tempo/--mimir/--loki override it")
  Path sinksConfig;

  @Option(
      names = "--streams-config",
      description =
          "streams YAML file (default: the built-in dev policies: errors, slow traces, 10%% of the rest)")
  Path streamsConfig;

  @Override
  public Integer call() {
    Shutdown shutdown = new Shutdown("otelstream dev");
    EdgeConfig base =
        edgeConfig == null
            ? EdgeConfig.defaults()
            : ConfigLoader.withSystemEnv().load(edgeConfig, EdgeConfig.class);
    if (kafkaOnly && connectOnly) {
      throw new ParameterException(
          spec.commandLine(), "--kafka-only and --connect-only exclude each other");
    }
    if (connectOnly) {
      return connectOnly(shutdown, base);
    }
    PortCheck ports = new PortCheck().port(kafkaPort, "--kafka-port");
    if (!kafkaOnly) {
      ports
          .port(base.grpc().port(), "OTLP/gRPC, --edge-config grpc.port")
          .port(base.http().port(), "OTLP/HTTP, --edge-config http.port")
          .port(base.admin().port(), "edge admin, --edge-config admin.port")
          .port(streamsAdminPort, "--streams-admin-port")
          .port(connectPort, "--connect-port")
          .port(connectMetricsPort, "--connect-metrics-port");
    }
    ports.requireFree();
    EmbeddedKafka kafka =
        new EmbeddedKafka(dataDir.toAbsolutePath().resolve("kafka"), kafkaPort).start();
    // Stopped in reverse order of start: edge (drains), streams, Connect, Kafka last.
    List<Runnable> started = new ArrayList<>();
    try {
      EdgeConfig config =
          withSingleBrokerTopics(base)
              .withKafkaProperty("bootstrap.servers", kafka.bootstrapServers());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        System.out.print(
            new TopicReconciler(admin, new TopicCatalog(config.topics())).apply(false));
      }
      if (kafkaOnly) {
        shutdown.then("Kafka", kafka);
        System.out.printf(
            "%notelstream dev: Kafka only, on %s (Ctrl-C stops it)%n", kafka.bootstrapServers());
      } else {
        Path files = dataDir.toAbsolutePath().resolve("files");
        DevConnect sinks =
            new DevConnect(
                kafka.bootstrapServers(),
                connectPort,
                connectMetricsPort,
                new TopicCatalog(config.topics()),
                files,
                sinks().withFlags(tempo, mimir, loki));
        started.add(sinks::close);
        StreamsApp streams =
            StreamsApp.start(streamsConfig(config.topics(), kafka.bootstrapServers()));
        started.add(streams::close);
        EdgeServer edge = EdgeServer.start(config);
        shutdown.then("edge", edge).then("streams", streams).then("Connect", sinks);
        shutdown.then("Kafka", kafka);
        System.out.print(
            new DevBanner(kafka, edge, streams, sinks, files)
                .policies(
                    streamsConfig == null ? "built-in dev policies" : streamsConfig.toString())
                .text());
      }
    } catch (RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).run();
      }
      kafka.close();
      throw e;
    }
    shutdown.awaitSignalAndStop();
    return 0;
  }

  private int connectOnly(Shutdown shutdown, EdgeConfig base) {
    new PortCheck()
        .port(connectPort, "--connect-port")
        .port(connectMetricsPort, "--connect-metrics-port")
        .requireFree();
    String bootstrap = "localhost:" + kafkaPort;
    requireKafka(bootstrap);
    Path files = dataDir.toAbsolutePath().resolve("files");
    DevConnect sinks =
        new DevConnect(
            bootstrap,
            connectPort,
            connectMetricsPort,
            new TopicCatalog(withSingleBrokerTopics(base).topics()),
            files,
            sinks().withFlags(tempo, mimir, loki));
    shutdown.then("Connect", sinks);
    System.out.printf(
        "%notelstream dev: Kafka Connect only, against localhost:%d; REST on %d, metrics on %d"
            + " (Ctrl-C stops it)%n",
        kafkaPort, connectPort, connectMetricsPort);
    shutdown.awaitSignalAndStop();
    return 0;
  }

  /** Fails in seconds, naming the address, instead of Connect's minute-long start-up timeout. */
  private static void requireKafka(String bootstrap) {
    try (Admin admin =
        Admin.create(
            Map.of(
                "bootstrap.servers", bootstrap,
                "request.timeout.ms", "5000",
                "default.api.timeout.ms", "10000"))) {
      admin.describeCluster().clusterId().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "--connect-only: no Kafka answered on "
              + bootstrap
              + " within 10 s; start one with `otelstream dev --kafka-only --kafka-port N` and"
              + " give the same --kafka-port");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("--connect-only: interrupted while looking for Kafka");
    }
  }

  private DevSinks sinks() {
    return sinksConfig == null
        ? DevSinks.files()
        : ConfigLoader.withSystemEnv().load(sinksConfig, DevSinks.class);
  }

  private StreamsAppConfig streamsConfig(TopicsConfig topics, String bootstrap) {
    ConfigLoader loader = ConfigLoader.withSystemEnv();
    String text;
    try {
      if (streamsConfig != null) {
        text = Files.readString(streamsConfig);
      } else {
        try (InputStream in = DevCommand.class.getResourceAsStream(DEV_STREAMS)) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StreamsAppConfig c =
        loader.parse(
            text,
            StreamsAppConfig.class,
            streamsConfig != null ? streamsConfig.toString() : DEV_STREAMS);
    writeForOperators(text, c, bootstrap);
    // Static membership, as the chart's pods have it: a dev streams app restarted on this host
    // takes its tasks back at once instead of waiting for its old session to time out.
    return c.withKafka(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "group.instance.id",
                c.kafka().getOrDefault("group.instance.id", "otelstream-dev-" + host())))
        .withLocal(
            dataDir.toAbsolutePath().resolve("streams").toString(), topics, streamsAdminPort);
  }

  /**
   * Writes the streams configuration dev mode runs to {@code <data-dir>/streams.yaml}, where
   * docs/replay.md's runbooks find it ({@code otelstream replay ... --config
   * .otelstream/streams.yaml}): the file as given, plus dev mode's Kafka when the file names none.
   */
  private void writeForOperators(String text, StreamsAppConfig c, String bootstrap) {
    String out =
        "# Written by `otelstream dev` at each start: the streams configuration it runs, for\n"
            + "# `otelstream replay --config` (docs/replay.md). Edit the source, not this copy.\n"
            + text
            + (text.lines().anyMatch(l -> l.startsWith("kafka:"))
                ? ""
                : "\nkafka: {bootstrap.servers: \"" + bootstrap + "\"}\n");
    try {
      Files.createDirectories(dataDir);
      Files.writeString(dataDir.resolve("streams.yaml"), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  private static EdgeConfig withSingleBrokerTopics(EdgeConfig c) {
    TopicsConfig t = c.topics();
    return c.withTopics(
        new TopicsConfig(
            t.prefix(), (short) 1, 1, t.compression(), t.maxMessageBytes(), t.topics()));
  }
}
