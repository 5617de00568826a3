package io.otelstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.config.ConfigLoader;
import io.otelstream.config.EffectiveConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamsAppConfigTest {
  private static final String POLICIES =
      "tail_sampling: {policies: [{name: all, type: always_sample}]}\n";

  private static StreamsAppConfig parse(String yaml) {
    return new ConfigLoader(Map.of()).parse(yaml + POLICIES, StreamsAppConfig.class, "s.yaml");
  }

  @Test
  void anotherProcessingGuaranteeIsRefusedUnlessOptedOut() {
    assertThatThrownBy(() -> parse("kafka: {processing.guarantee: at_least_once}\n"))
        .hasMessageContaining("kafka.processing.guarantee: at_least_once is refused")
        .hasMessageContaining("exactly-once")
        .hasMessageContaining("allow_unsafe_kafka_overrides: true");
    assertThat(
            parse(
                    "allow_unsafe_kafka_overrides: true\n"
                        + "kafka: {processing.guarantee: at_least_once}\n")
                .streamsProperties())
        .containsEntry("processing.guarantee", "at_least_once");
    assertThat(parse("").streamsProperties())
        .containsEntry("processing.guarantee", "exactly_once_v2");
  }

  @Test
  void kafkaMetricsStayOffJmxAndOffTheBrokerUnlessAskedFor() {
    assertThat(parse("").streamsProperties())
        .containsEntry("metric.reporters", "")
        .containsEntry("enable.metrics.push", "false");
    assertThat(
            parse(
                    "kafka: {metric.reporters: org.apache.kafka.common.metrics.JmxReporter,"
                        + " enable.metrics.push: true}\n")
                .streamsProperties())
        .containsEntry("metric.reporters", "org.apache.kafka.common.metrics.JmxReporter")
        .containsEntry("enable.metrics.push", "true");
  }

  @Test
  void theTransactionTimeoutAndPollIntervalOutlastTheLongestRebuild() {
    assertThat(parse("").streamsProperties())
        .containsEntry("producer.transaction.timeout.ms", "330000")
        .containsEntry("main.consumer.max.poll.interval.ms", "330000")
        .containsEntry("otelstream.max.rebuild.ms", "300000");
    assertThat(parse("max_rebuild: 10s\n").streamsProperties())
        .containsEntry("producer.transaction.timeout.ms", "40000")
        .containsEntry("main.consumer.max.poll.interval.ms", "300000");
    assertThatThrownBy(
            () -> parse("kafka: {producer.transaction.timeout.ms: 10000}\n").streamsProperties())
        .hasMessageContaining("kafka producer.transaction.timeout.ms (10000 ms) must exceed")
        .hasMessageContaining("max_rebuild (300000 ms)");
    assertThatThrownBy(() -> parse("max_rebuild: 20m\n"))
        .hasMessageContaining("max_rebuild must be");
  }

  @Test
  void theInFlightHeapBudgetDefaultsToAQuarterOfTheHeapAndMustFitIt() {
    long max = Runtime.getRuntime().maxMemory();
    assertThat(parse("").inFlightHeapBudget().limitBytes()).isEqualTo(max / 4);
    assertThat(parse("in_flight_heap: 1MiB\n").inFlightHeapBudget().limitBytes())
        .isEqualTo(1 << 20);
    assertThatThrownBy(() -> parse("in_flight_heap: " + max + "\n"))
        .hasMessageContaining("in_flight_heap")
        .hasMessageContaining("-Xmx");
  }

  @Test
  void metricsAggregationSettingsAreValidatedWithTheirKeyPath() {
    assertThatThrownBy(() -> parse("metrics: {aggregation: {gauge: avg}}\n"))
        .hasMessageContaining("metrics.aggregation")
        .hasMessageContaining("gauge must be last, sum, min or max, was avg");
    assertThatThrownBy(() -> parse("metrics: {aggregation: {interval: 1m, staleness: 1m}}\n"))
        .hasMessageContaining("staleness")
        .hasMessageContaining("twice the interval");
    assertThatThrownBy(() -> parse("metrics: {cardinality: {max_series_per_metric: 0}}\n"))
        .hasMessageContaining("metrics.cardinality")
        .hasMessageContaining("max_series_per_metric must be at least 1");
    assertThatThrownBy(() -> parse("metrics: {aggregation: {enabled: false}}\n"))
        .hasMessageContaining("cardinality.enabled needs aggregation.enabled");
    assertThatThrownBy(() -> parse("metrics: {cardinality: {max_values: 5}}\n"))
        .hasMessageContaining("metrics.cardinality")
        .hasMessageContaining("max_values");
    var defaults = parse("").metrics();
    assertThat(defaults.aggregation().enabled()).isTrue();
    assertThat(defaults.aggregation().interval()).hasSeconds(15);
    assertThat(defaults.cardinality().maxSeriesPerMetric()).isEqualTo(2000);
  }

  @Test
  void signalsBindToTheSignalContractAndAnUnknownOneIsNamed() {
    assertThat(parse("signals: [Metrics, logs]\n").signals())
        .containsExactly(io.otelstream.schemas.Signal.METRICS, io.otelstream.schemas.Signal.LOGS);
    assertThat(parse("").signals()).isEqualTo(StreamsAppConfig.ALL_SIGNALS);
    assertThatThrownBy(() -> parse("signals: [traces, spans]\n"))
        .hasMessageContaining("signals")
        .hasMessageContaining("must be traces, metrics or logs, not spans");
  }

  @Test
  void theExampleConfigurationLoads() throws java.io.IOException {
    String example =
        java.nio.file.Files.readString(java.nio.file.Path.of("examples", "streams.yaml"));
    StreamsAppConfig c =
        new ConfigLoader(Map.of()).parse(example, StreamsAppConfig.class, "examples/streams.yaml");
    assertThat(c.streamsProperties())
        .containsEntry("commit.interval.ms", "1000")
        .containsEntry("processing.guarantee", "exactly_once_v2");
  }

  @Test
  void theEffectiveConfigurationIsLoggedWithSecretsMasked() {
    String logged =
        EffectiveConfig.describe(
            parse(
                "kafka: {bootstrap.servers: \"k:9092\", sasl.jaas.config: \"user pass\","
                    + " ssl.truststore.password: pw}\n"));
    assertThat(logged)
        .contains("k:9092", "\"decision_wait\"", "***")
        .doesNotContain("user pass", "\"pw\"");
  }
}
