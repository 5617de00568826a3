package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The dev command line is the production one plus dev and loadgen. */
class DevCommandLineTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "dev", "loadgen", "edge", "streams", "replay deliver"})
  void shouldAnswerHelpAndVersionOnEveryCommand(String command) {
    String[] prefix = command.isEmpty() ? new String[0] : command.split(" ");
    assertThat(run(prefix, "--help")).contains("Usage: otelstream").contains("--version");
    assertThat(run(prefix, "--version")).startsWith("otelstream ").doesNotContain("unknown");
  }

  @org.junit.jupiter.api.Test
  void kafkaOnlyAndConnectOnlyExcludeEachOther() {
    StringWriter err = new StringWriter();
    CommandLine cli = OtelstreamDev.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("dev", "--kafka-only", "--connect-only")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-only and --connect-only exclude each other");
  }

  @org.junit.jupiter.api.Test
  void connectOnlyWithoutKafkaSaysWhereItLookedAndExits() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cli = OtelstreamDev.commandLine();
    cli.setErr(new PrintWriter(err));
    int port = io.otelstream.kafka.FreePorts.next(); // nothing listens there
    java.nio.file.Path data = java.nio.file.Files.createTempDirectory("connect-only");
    int status =
        cli.execute(
            "dev",
            "--connect-only",
            "--kafka-port",
            Integer.toString(port),
            "--connect-port",
            Integer.toString(io.otelstream.kafka.FreePorts.next()),
            "--connect-metrics-port",
            Integer.toString(io.otelstream.kafka.FreePorts.next()),
            "--data-dir",
            data.toString());
    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .contains("no Kafka answered on localhost:" + port)
        .contains("--kafka-only");
  }

  @org.junit.jupiter.api.Test
  void devHelpNamesConnectOnlyAndTheDevPolicies() {
    StringWriter out = new StringWriter();
    CommandLine cli = OtelstreamDev.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.execute("dev", "--help");
    assertThat(out.toString()).contains("10% of the rest").contains("--connect-only");
  }

  private static String run(String[] prefix, String option) {
    StringWriter out = new StringWriter();
    CommandLine cli = OtelstreamDev.commandLine();
    cli.setOut(new PrintWriter(out));
    String[] args = new String[prefix.length + 1];
    System.arraycopy(prefix, 0, args, 0, prefix.length);
    args[prefix.length] = option;
    assertThat(cli.execute(args)).as("exit status of %s", String.join(" ", args)).isZero();
    return out.toString();
  }
}
