package io.otelstream.dev;

import io.otelstream.cli.Otelstream;
import picocli.CommandLine;

/**
 * The command line `./otelstream` runs on a laptop: every production command plus `dev` (the whole
 * pipeline on an embedded broker and Connect worker) and `loadgen`. The production image runs
 * {@link Otelstream} instead and carries none of this module's dependencies.
 */
public final class OtelstreamDev {
  private OtelstreamDev() {}

  /** The production command line with `dev` and `loadgen` added. */
  public static CommandLine commandLine() {
    CommandLine cli = Otelstream.commandLine();
    cli.addSubcommand(new CommandLine(new DevCommand()));
    cli.addSubcommand(new CommandLine(new LoadgenCommand()));
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
