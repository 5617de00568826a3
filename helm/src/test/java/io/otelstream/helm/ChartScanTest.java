package io.otelstream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rendered chart passes checkov's Kubernetes checks (an infrastructure-as-code scanner, from
 * PyPI; .ci/run installs it) with no failure; the checks the chart skips say why in the workloads'
 * {@code checkov.io/skip} annotations.
 */
class ChartScanTest {
  private static String checkov() {
    String configured = System.getenv("OTELSTREAM_CHECKOV");
    String path =
        configured != null
            ? configured
            : Path.of(System.getProperty("user.home"), ".cache/otelstream/checkov/bin/checkov")
                .toString();
    if (!new File(path).canExecute()) {
      throw new IllegalStateException(
          path
              + " is missing: python3 -m venv ~/.cache/otelstream/checkov &&"
              + " ~/.cache/otelstream/checkov/bin/pip install checkov (.ci/run does), or set"
              + " OTELSTREAM_CHECKOV");
    }
    return path;
  }

  @Test
  void theRenderedChartPassesCheckovsKubernetesChecks() throws Exception {
    String rendered =
        new Helm(Path.of("otelstream"))
            .template()
            .withName("obs")
            .withNamespace("telemetry")
            .withKubeVersion("1.31.0")
            .set("kafka.bootstrapServers", "kafka-0.kafka:9092")
            .call();
    Path file = Path.of("target", "checkov", "chart.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, rendered);
    Process p =
        new ProcessBuilder(
                List.of(
                    checkov(),
                    "-f",
                    file.toString(),
                    "--framework",
                    "kubernetes",
                    "--compact",
                    "--quiet",
                    "--skip-download"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(out).as(out).doesNotContain("FAILED for resource");
    assertThat(p.exitValue()).as(out).isZero();
  }
}
