package io.otelstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicsConfig;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * Each signal is a sub-topology of its own, so a task reads one input partition: a task that also
 * held empty partitions of the other signals would make Kafka Streams wait on them, and format a
 * log line about them for every record it processes.
 */
class OtelstreamTopologyTest {

  @Test
  void eachSignalIsASubTopologyOfItsOwnWithTracesFirst() {
    TailSamplingConfig config =
        new ConfigLoader(Map.of())
            .parse(
                "policies: [{name: all, type: always_sample}]", TailSamplingConfig.class, "test");
    TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TopologyDescription description =
        OtelstreamTopology.build(topics, TestTopologies.parts(config, registry)).describe();

    assertThat(description.subtopologies()).hasSize(4);
    Map<Integer, Set<String>> inputs =
        description.subtopologies().stream()
            .collect(
                Collectors.toMap(
                    TopologyDescription.Subtopology::id,
                    s ->
                        s.nodes().stream()
                            .filter(n -> n instanceof TopologyDescription.Source)
                            .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream())
                            .collect(Collectors.toSet())));
    // Sub-topology 0 keeps the task IDs (0_N) under which earlier versions kept the sampling state.
    assertThat(inputs)
        .containsEntry(0, Set.of(topics.name(Topic.TRACES)))
        .containsValue(Set.of(topics.name(Topic.METRICS)))
        .containsValue(Set.of(topics.name(Topic.LOGS)))
        .containsValue(Set.of(topics.name(Topic.METRICS_AGGREGATION)));
  }

  @Test
  void anAppForOneSignalReadsOnlyThatSignalsTopics() {
    TailSamplingConfig config =
        new ConfigLoader(Map.of())
            .parse(
                "policies: [{name: all, type: always_sample}]", TailSamplingConfig.class, "test");
    TopicCatalog topics = new TopicCatalog(TopicsConfig.singleBroker());
    OtelstreamTopology.Parts all = TestTopologies.parts(config, new SimpleMeterRegistry());
    for (Map.Entry<String, Set<String>> expected :
        Map.of(
                "traces", Set.of(topics.name(Topic.TRACES)),
                "metrics",
                    Set.of(topics.name(Topic.METRICS), topics.name(Topic.METRICS_AGGREGATION)),
                "logs", Set.of(topics.name(Topic.LOGS)))
            .entrySet()) {
      OtelstreamTopology.Parts one =
          new OtelstreamTopology.Parts(
              all.sampling(),
              all.engines(),
              all.samplingMetrics(),
              all.metrics(),
              all.logs(),
              all.signalMetrics(),
              all.aggregationMetrics(),
              all.traceMetrics(),
              all.inputEnd(),
              all.processing(),
              all.retention(),
              java.util.List.of(io.otelstream.schemas.Signal.of(expected.getKey())));
      Set<String> read =
          OtelstreamTopology.build(topics, one).describe().subtopologies().stream()
              .flatMap(s -> s.nodes().stream())
              .filter(n -> n instanceof TopologyDescription.Source)
              .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream())
              .collect(Collectors.toSet());
      assertThat(read).as(expected.getKey()).isEqualTo(expected.getValue());
    }
  }
}
