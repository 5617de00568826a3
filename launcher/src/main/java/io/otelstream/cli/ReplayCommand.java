package io.otelstream.cli;

import io.otelstream.config.ConfigLoader;
import io.otelstream.replay.DeliverReplay;
import io.otelstream.replay.IntoTopic;
import io.otelstream.replay.ReplayException;
import io.otelstream.replay.ReplayReport;
import io.otelstream.replay.ReplayTime;
import io.otelstream.replay.SampleReplay;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.streams.sampling.TailSamplingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code otelstream replay}: re-sample a window of otlp-traces, or re-deliver one to a backend. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Replay retained telemetry from a time or offset (see docs/replay.md).",
    subcommands = {ReplayCommand.Sample.class, ReplayCommand.Deliver.class})
final class ReplayCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "sample",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Re-run tail sampling (the streams app's own processor) over a window of otlp-traces.",
        "Traces that started inside [--from, --to) are decided with all their spans; traces that"
            + " started before --from (seen in the decision_wait read before it) or at/after --to"
            + " are left out."
      })
  static final class Sample implements Callable<Integer> {
    @Option(
        names = "--config",
        required = true,
        description = "the streams app's YAML file: connection, topics and the current policies")
    Path config;

    @Option(names = "--bootstrap-server", description = "overrides kafka.bootstrap.servers")
    String bootstrap;

    @Option(
        names = "--from",
        required = true,
        description =
            "start: an instant (2026-12-01T10:00:00Z), a time ago (-1h, -90m) or partition:offset pairs (0:1200,1:980)")
    String from;

    @Option(
        names = "--to",
        description = "end: an instant or a time ago (default: the topic's current end)")
    String to;

    @Option(
        names = "--policies",
        description =
            "a YAML file in the streams config format whose tail_sampling is replayed (default: the one in --config)")
    Path policies;

    @Option(
        names = "--into",
        description = "topic the kept traces are written to, in the otlp-traces-sampled format")
    String into;

    @Option(
        names = "--preview",
        description = "write nothing; print what the policies keep, next to the current policies")
    boolean preview;

    @Option(
        names = "--create-topic",
        description = "create the --into topic like otlp-traces-sampled if it does not exist")
    boolean createTopic;

    @Option(
        names = "--allow-live-topic",
        description =
            "allow --into to be otlp-traces-sampled itself (its sinks deliver the replayed traces again)")
    boolean allowLiveTopic;

    @Option(
        names = "--allow-internal-topic",
        description =
            "allow --into to be another pipeline topic (otlp-traces would loop), a Streams internal topic of the app or a Kafka/Connect internal topic (name starting with _)")
    boolean allowInternalTopic;

    @Option(
        names = "--output",
        defaultValue = "text",
        description = "text or json (default: ${DEFAULT-VALUE})")
    String output;

    @Option(
        names = "--work-dir",
        description =
            "where the replay keeps its RocksDB state while it runs (default: a new directory in the OS temp directory, deleted after)")
    Path workDir;

    @Override
    public Integer call() throws Exception {
      if (preview == (into != null)) {
        throw new ReplayException("give exactly one of --into TOPIC and --preview");
      }
      if (!output.equals("text") && !output.equals("json")) {
        throw new ReplayException("--output must be text or json, not " + output);
      }
      StreamsAppConfig live = ConfigLoader.withSystemEnv().load(config, StreamsAppConfig.class);
      if (bootstrap != null) {
        live = live.withKafka(Map.of("bootstrap.servers", bootstrap));
      }
      TailSamplingConfig replayed = null;
      if (policies != null) {
        replayed =
            ConfigLoader.withSystemEnv().load(policies, StreamsAppConfig.class).tailSampling();
      }
      Instant now = Instant.now();
      ReplayTime start = ReplayTime.parse(from, now);
      Instant end = to == null ? null : requireTime("--to", ReplayTime.parse(to, now));
      if (into != null) {
        String warning = IntoTopic.check(live, into, allowLiveTopic, allowInternalTopic);
        if (warning != null) {
          System.err.println(warning);
        }
        if (createTopic) {
          SampleReplay.createLike(live, into);
        }
      }
      Path dir = workDir != null ? workDir : Files.createTempDirectory("otelstream-replay-");
      SampleReplay.Result result =
          SampleReplay.run(
              new SampleReplay.Request(
                  live,
                  replayed,
                  start,
                  end,
                  into,
                  dir,
                  System.console() != null ? System.err : null));
      System.out.print(
          output.equals("json")
              ? ReplayReport.json(result) + System.lineSeparator()
              : ReplayReport.text(result));
      return 0;
    }
  }

  @Command(
      name = "deliver",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Move a sink connector back to a time, so that it delivers the window again.",
        "Stops the connector, alters its offsets through Kafka Connect's REST API, resumes it."
            + " Delivery is at least once: the backend receives the records again (see docs/replay.md"
            + " for what Tempo, Mimir and Loki do with them)."
      })
  static final class Deliver implements Callable<Integer> {
    @Option(names = "--signal", required = true, description = "traces, metrics or logs")
    String signal;

    @Option(
        names = "--from",
        required = true,
        description = "an instant (2026-12-01T10:00:00Z) or a time ago (-1h, -90m)")
    String from;

    @Option(
        names = "--connect",
        defaultValue = "http://localhost:8083",
        description = "Kafka Connect REST URL (default: ${DEFAULT-VALUE})")
    String connect;

    @Option(
        names = "--connector",
        description = "connector name (default: otelstream-<signal>, as dev mode names them)")
    String connector;

    @Option(
        names = "--bootstrap-server",
        defaultValue = "localhost:9092",
        description = "Kafka, to find the offsets for --from (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--dry-run", description = "only show the moves")
    boolean dryRun;

    @Override
    public Integer call() {
      Signal parsed;
      try {
        parsed = Signal.of(signal);
      } catch (IllegalArgumentException e) {
        throw new ReplayException("--signal " + e.getMessage());
      }
      Instant now = Instant.now();
      Instant time = requireTime("--from", ReplayTime.parse(from, now));
      DeliverReplay replay =
          new DeliverReplay(connect, connector != null ? connector : "otelstream-" + parsed.key());
      List<DeliverReplay.Move> moves =
          replay.plan(Map.of("bootstrap.servers", bootstrap), time, now);
      System.out.print(DeliverReplay.table(moves));
      if (dryRun) {
        System.out.println("dry run: nothing changed");
        return 0;
      }
      replay.apply(moves, System.out);
      return 0;
    }
  }

  private static Instant requireTime(String flag, ReplayTime t) {
    if (t.isOffsets()) {
      throw new ReplayException(flag + " takes a time, not offsets");
    }
    return t.time();
  }
}
