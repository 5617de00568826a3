package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionCheckTest {

  @Test
  void theDefaultCodecLoadsHere() {
    assertThat(EdgeConfig.defaults().producerProperties())
        .containsEntry("compression.type", "snappy");
    assertThatCode(() -> CompressionCheck.require("snappy")).doesNotThrowAnyException();
    assertThatCode(() -> CompressionCheck.require("lz4")).doesNotThrowAnyException();
  }

  /** In a JVM whose snappy temporary directory is unusable (a file), the start names the cause. */
  @Test
  void aCodecThatCannotLoadFailsTheStartWithTheReason(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "x");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.xerial.snappy.tempdir=" + notADirectory,
                    "-cp",
                    System.getProperty("java.class.path"),
                    Probe.class.getName()))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    assertThat(out)
        .contains("kafka.compression.type snappy cannot be used in this JVM")
        .contains(notADirectory.toString())
        .contains("set kafka.compression.type to lz4");
  }

  /** Runs the check in a fresh JVM; exit 3 with the message when it refused. */
  static final class Probe {
    public static void main(String[] args) {
      try {
        CompressionCheck.require("snappy");
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
      System.exit(0);
    }
  }
}
