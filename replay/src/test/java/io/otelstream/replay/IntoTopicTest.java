package io.otelstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.StreamsAppConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntoTopicTest {
  private final StreamsAppConfig live =
      new ConfigLoader(Map.of())
          .parse(
              "application_id: otelstream\ntopics: {prefix: \"prod.\"}\n"
                  + "tail_sampling: {policies: [{name: all, type: always_sample}]}",
              StreamsAppConfig.class,
              "streams.yaml");

  @Test
  void aNewTopicIsFine() {
    assertThat(IntoTopic.check(live, "incident-42", false, false)).isNull();
  }

  @Test
  void theLiveSampledTopicNeedsItsFlag() {
    assertThatThrownBy(() -> IntoTopic.check(live, "prod.otlp-traces-sampled", false, false))
        .hasMessageContaining("--allow-live-topic");
    assertThat(IntoTopic.check(live, "prod.otlp-traces-sampled", true, false))
        .contains("deliver these traces again");
  }

  @Test
  void pipelineStreamsAndConnectTopicsAreRefusedUnlessAllowed() {
    for (String topic :
        new String[] {
          "prod.otlp-traces", // would loop back into sampling
          "prod.otlp-metrics",
          "otelstream-ts-decisions-changelog",
          "_otelstream-connect-offsets",
          "__consumer_offsets"
        }) {
      assertThatThrownBy(() -> IntoTopic.check(live, topic, true, false))
          .as(topic)
          .hasMessageContaining(topic)
          .hasMessageContaining("--allow-internal-topic");
      assertThat(IntoTopic.check(live, topic, false, true)).as(topic).startsWith("warning");
    }
  }
}
