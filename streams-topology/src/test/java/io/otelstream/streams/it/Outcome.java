package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The end state a fault test checks, read back from Kafka with read_committed: every trace decided
 * exactly once (its committed decision records in the ts-decisions changelog), every span of every
 * kept trace exactly once in one output record, and nothing of a dropped trace.
 */
final class Outcome {
  private Outcome() {}

  /** Committed decisions per trace key, from the decision cache's changelog. */
  static Map<String, Integer> decisions(KafkaBroker kafka, String appId) {
    Map<String, Integer> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(appId + "-ts-decisions-changelog")) {
      byte[] k = r.key();
      if (r.value() != null && k.length == 17 && k[0] == 'T') {
        out.merge(HexFormat.of().formatHex(k, 1, 17), 1, Integer::sum);
      }
    }
    return out;
  }

  static void assertExactlyOnce(
      KafkaBroker kafka, String appId, String sampledTopic, Set<TraceLoad.Trace> sent)
      throws Exception {
    Map<String, Integer> decided = decisions(kafka, appId);
    Set<String> all = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
    assertThat(decided.keySet()).as("decided traces").containsAll(all);
    assertThat(decided)
        .as("decisions per trace")
        .allSatisfy((trace, n) -> assertThat(n).as("decisions of %s", trace).isEqualTo(1));
    Map<String, Integer> records = new HashMap<>();
    List<ConsumerRecord<byte[], byte[]>> output = kafka.readAll(sampledTopic);
    Map<String, List<Long>> kept = StreamsKit.keptSpans(output, records);
    Set<String> errors =
        sent.stream()
            .filter(TraceLoad.Trace::error)
            .map(TraceLoad.Trace::key)
            .collect(Collectors.toSet());
    assertThat(kept.keySet()).as("kept traces").isEqualTo(errors);
    kept.forEach(
        (trace, spans) ->
            assertThat(spans).as("spans of %s", trace).containsExactlyInAnyOrder(0L, 1L, 2L));
    assertThat(records)
        .allSatisfy((trace, n) -> assertThat(n).as("records of %s", trace).isEqualTo(1));
  }
}
