package io.otelstream.cli;

import io.otelstream.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The production otelstream command line: edge, streams, topics, replay, status, cardinality. Dev
 * mode and the load generator live in the dev module, which adds them to this command line, so the
 * production image carries no broker, Connect runtime or load generator.
 */
@Command(
    name = "otelstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kafka-native OpenTelemetry pipeline.",
    subcommands = {
      EdgeCommand.class,
      StreamsCommand.class,
      TopicsCommand.class,
      ReplayCommand.class,
      StatusCommand.class,
      CardinalityCommand.class
    })
public final class Otelstream implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Configuration and argument errors: the message alone and exit status 2; others throw. */
  public static final CommandLine.IExecutionExceptionHandler EXCEPTIONS =
      (e, commandLine, parseResult) -> {
        if (e instanceof ConfigException
            || e instanceof IllegalStateException
            || e instanceof IllegalArgumentException) {
          commandLine.getErr().println("otelstream: " + e.getMessage());
          return 2;
        }
        throw e;
      };

  /** The production command line with its error handling; the dev module adds its commands. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Otelstream());
    cli.setExecutionExceptionHandler(EXCEPTIONS);
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
