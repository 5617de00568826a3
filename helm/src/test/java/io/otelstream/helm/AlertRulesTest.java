package io.otelstream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules pass Prometheus' own checks (promtool, from Debian's prometheus package): the
 * rule file is valid, its unit tests show every alert firing on its bad series and silent on the
 * healthy ones, every alert is tested, and every runbook link has its section in docs/runbooks.md.
 */
class AlertRulesTest {
  private static final Path RULES = Path.of("otelstream", "files", "prometheus");
  private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert: (\\w+)");

  private static String promtool(String... args) throws Exception {
    String promtool = "/usr/bin/promtool";
    if (!new File(promtool).canExecute()) {
      throw new IllegalStateException(
          promtool + " is missing: install Debian's prometheus package (.ci/run does)");
    }
    List<String> command = new ArrayList<>(List.of(promtool));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static List<String> alerts(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = ALERT.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * A rule can only select reasons the edge can emit: each value a selector on the
   * rejected-requests counter names (in the rules and in their tests) is one of the edge's
   * RejectReasons, the list the edge refuses with and registers at 0.
   */
  @Test
  void everyEdgeReasonARuleSelectsIsOneTheEdgeEmits() throws Exception {
    Pattern selector = Pattern.compile("otelstream_edge_requests_rejected_total\\{([^}]*)\\}");
    Pattern reason = Pattern.compile("reason\\s*(=~|=)\\s*\"([^\"]*)\"");
    List<String> selected = new ArrayList<>();
    for (String file : List.of("alerts.yaml", "alerts-test.yaml")) {
      Matcher m = selector.matcher(Files.readString(RULES.resolve(file)));
      while (m.find()) {
        Matcher r = reason.matcher(m.group(1));
        while (r.find()) {
          selected.addAll(List.of(r.group(2).split("\\|")));
        }
      }
    }
    assertThat(selected).isNotEmpty();
    assertThat(selected).allMatch(io.otelstream.edge.RejectReasons.ALL::contains);
  }

  @Test
  void theRuleFileIsValid() throws Exception {
    assertThat(promtool("check", "rules", "alerts.yaml")).contains("SUCCESS");
  }

  @Test
  void everyAlertFiresOnItsBadSeriesAndStaysSilentOnHealthyOnes() throws Exception {
    assertThat(promtool("test", "rules", "alerts-test.yaml")).contains("SUCCESS");
    String rules = Files.readString(RULES.resolve("alerts.yaml"));
    String tests = Files.readString(RULES.resolve("alerts-test.yaml"));
    for (String alert : alerts(rules)) {
      assertThat(tests).as("a unit test for " + alert).contains("alertname: " + alert);
    }
  }

  @Test
  void everyRunbookLinkHasItsSection() throws Exception {
    String rules = Files.readString(RULES.resolve("alerts.yaml"));
    String runbooks = Files.readString(Path.of("..", "docs", "runbooks.md"));
    for (String alert : alerts(rules)) {
      assertThat(rules).contains("runbooks.md#" + alert.toLowerCase());
      assertThat(runbooks).as("docs/runbooks.md section").contains("## " + alert + "\n");
    }
  }
}
