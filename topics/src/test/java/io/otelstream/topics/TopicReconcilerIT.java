package io.otelstream.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicReconcilerIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  private static TopicCatalog catalog(String prefix, Map<String, TopicsConfig.Override> overrides) {
    return new TopicCatalog(new TopicsConfig(prefix, (short) 1, 1, null, null, overrides));
  }

  @Test
  void applyCreatesEveryTopicOnceAndVerifyThenFindsNoDrift() {
    TopicCatalog catalog = catalog("a.", Map.of());
    try (Admin admin = kafka.admin()) {
      TopicReconciler reconciler = new TopicReconciler(admin, catalog);
      TopicReport first = reconciler.apply(false);
      assertThat(first.lines())
          .filteredOn(l -> l.kind() == TopicReport.Kind.CHANGED)
          .hasSize(Topic.values().length);
      TopicReport second = reconciler.apply(false);
      assertThat(second.lines()).allMatch(l -> l.kind() == TopicReport.Kind.OK);
      assertThat(reconciler.verify().hasDriftOrWarnings()).isFalse();
    }
  }

  @Test
  void verifyReportsConfigDriftAndApplyRepairsIt() {
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog("b.", Map.of())).apply(false);
      TopicCatalog changed =
          catalog(
              "b.",
              Map.of(
                  "otlp-logs",
                  new TopicsConfig.Override(
                      null, null, null, Duration.ofHours(1), null, null, null)));
      TopicReconciler reconciler = new TopicReconciler(admin, changed);
      TopicReport drift = reconciler.verify();
      assertThat(drift.toString())
          .contains("b.otlp-logs")
          .contains("retention.ms 86400000 -> 3600000");
      reconciler.apply(false);
      assertThat(reconciler.verify().hasDriftOrWarnings()).isFalse();
    }
  }

  @Test
  void neverShrinksAndGrowsTracesOnlyWithTheFlag() throws Exception {
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, catalog("c.", Map.of())).apply(false);
      admin
          .createPartitions(Map.of("c.otlp-metrics", NewPartitions.increaseTo(14)))
          .all()
          .get(30, TimeUnit.SECONDS);
      // The broker answers before its metadata shows the new partitions to every describe.
      org.awaitility.Awaitility.await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> partitions(admin, "c.otlp-metrics") == 14);
      TopicCatalog more =
          catalog(
              "c.",
              Map.of(
                  "otlp-traces",
                  new TopicsConfig.Override(null, 16, null, null, null, null, null)));
      TopicReconciler reconciler = new TopicReconciler(admin, more);

      TopicReport withoutFlag = reconciler.apply(false);
      assertThat(withoutFlag.toString())
          .contains("partitions 12 -> 16 NOT applied")
          .contains("has 14 partitions, catalogue says 12; partitions are never shrunk");
      assertThat(partitions(admin, "c.otlp-traces")).isEqualTo(12);

      reconciler.apply(true);
      assertThat(partitions(admin, "c.otlp-traces")).isEqualTo(16);
      assertThat(partitions(admin, "c.otlp-metrics")).isEqualTo(14);
    }
  }

  private static int partitions(Admin admin, String topic) throws Exception {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .size();
  }
}
