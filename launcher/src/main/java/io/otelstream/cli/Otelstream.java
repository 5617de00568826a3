package io.otelstream.cli;

import io.otelstream.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The otelstream command line. */
@Command(
    name = "otelstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kafka-native OpenTelemetry pipeline.",
    subcommands = {
      DevCommand.class,
      EdgeCommand.class,
      StreamsCommand.class,
      TopicsCommand.class,
      LoadgenCommand.class,
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
  static final CommandLine.IExecutionExceptionHandler EXCEPTIONS =
      (e, commandLine, parseResult) -> {
        if (e instanceof ConfigException
            || e instanceof IllegalStateException
            || e instanceof IllegalArgumentException) {
          commandLine.getErr().println("otelstream: " + e.getMessage());
          return 2;
        }
        throw e;
      };

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Otelstream());
    cli.setExecutionExceptionHandler(EXCEPTIONS);
    System.exit(cli.execute(args));
  }
}
