package io.otelstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "edge",
        "streams",
        "topics",
        "replay",
        "status",
        "cardinality",
        "replay sample",
        "replay deliver"
      })
  void shouldAnswerHelpAndVersionOnEveryCommand(String command) {
    String[] prefix = command.isEmpty() ? new String[0] : command.split(" ");
    assertThat(run(prefix, "--help")).contains("Usage: otelstream").contains("--version");
    assertThat(run(prefix, "--version")).startsWith("otelstream ").doesNotContain("unknown");
  }

  @org.junit.jupiter.api.Test
  void theProductionCommandLineHasNoDevModeOrLoadGenerator() {
    StringWriter err = new StringWriter();
    CommandLine cli = Otelstream.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("dev")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument").contains("'dev'");
  }

  @org.junit.jupiter.api.Test
  void replayRefusesBadArgumentsWithAMessage() {
    StringWriter err = new StringWriter();
    CommandLine cli = Otelstream.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("replay", "deliver", "--signal", "spans", "--from", "-1h", "--dry-run"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--signal must be traces, metrics or logs, not spans");
    assertThat(cli.execute("replay", "deliver", "--signal", "logs", "--from", "yesterday"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'yesterday' is not a time");
  }

  private static String run(String[] prefix, String option) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Otelstream());
    cli.setOut(new PrintWriter(out));
    String[] args = new String[prefix.length + 1];
    System.arraycopy(prefix, 0, args, 0, prefix.length);
    args[prefix.length] = option;
    assertThat(cli.execute(args)).as("exit status of %s", String.join(" ", args)).isZero();
    return out.toString();
  }
}
