package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.AvroState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The end state a fault test checks, read back from Kafka with read_committed: every trace decided
 * exactly once (its committed decision records in the ts-decisions changelog), every span of every
 * kept trace exactly once in one output record, and nothing of a dropped trace.
 */
final class Outcome {
  private Outcome() {}

  /**
   * Committed decisions per trace key, from the decision cache's changelog: its batches ({@code B}
   * keys, Avro TraceDecisionBatch) and single decisions ({@code C} and {@code T} keys, Avro
   * TraceDecision). A decision is written again when a late span follows it (same decidedAtMs); a
   * second decision of a trace would have its own decidedAtMs, so distinct decision times are
   * counted.
   */
  static Map<String, Integer> decisions(KafkaBroker kafka, String appId) {
    Map<String, Set<Long>> times = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(appId + "-ts-decisions-changelog")) {
      byte[] k = r.key();
      if (r.value() == null) {
        continue;
      }
      if (k[0] == 'B') {
        @SuppressWarnings("unchecked")
        List<GenericRecord> batch =
            (List<GenericRecord>) AvroState.TRACE_DECISION_BATCH.decode(r.value()).get("decisions");
        for (GenericRecord d : batch) {
          byte[] id = ((GenericData.Fixed) d.get("traceId")).bytes();
          times
              .computeIfAbsent(HexFormat.of().formatHex(id), x -> new HashSet<>())
              .add((long) d.get("decidedAtMs"));
        }
      } else if (k[0] == 'C' || k[0] == 'T') {
        long decidedAt = (long) AvroState.TRACE_DECISION.decode(r.value()).get("decidedAtMs");
        times
            .computeIfAbsent(
                HexFormat.of().formatHex(k, k.length - 16, k.length), x -> new HashSet<>())
            .add(decidedAt);
      }
    }
    Map<String, Integer> out = new HashMap<>();
    times.forEach((trace, t) -> out.put(trace, t.size()));
    return out;
  }

  static void assertExactlyOnce(
      KafkaBroker kafka, String appId, String sampledTopic, Set<TraceLoad.Trace> sent)
      throws Exception {
    assertExactlyOnce(kafka, appId, sampledTopic, sent, TraceLoad.Trace::error);
  }

  /** As above, with the traces the policies keep given by {@code keeps}. */
  static void assertExactlyOnce(
      KafkaBroker kafka,
      String appId,
      String sampledTopic,
      Set<TraceLoad.Trace> sent,
      Predicate<TraceLoad.Trace> keeps)
      throws Exception {
    assertExactlyOnce(kafka, appId, sampledTopic, sent, keeps, true);
  }

  /**
   * As above; {@code oneRecordPerTrace} false where decisions are taken before every fragment
   * arrived, so the fragments that follow a decision come in records of their own.
   */
  static void assertExactlyOnce(
      KafkaBroker kafka,
      String appId,
      String sampledTopic,
      Set<TraceLoad.Trace> sent,
      Predicate<TraceLoad.Trace> keeps,
      boolean oneRecordPerTrace)
      throws Exception {
    Map<String, Integer> decided = decisions(kafka, appId);
    Set<String> all = sent.stream().map(TraceLoad.Trace::key).collect(Collectors.toSet());
    assertThat(all.stream().filter(t -> !decided.containsKey(t)).toList())
        .as("traces never decided")
        .isEmpty();
    assertThat(decided.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("traces decided more than once")
        .isEmpty();
    Map<String, Integer> records = new HashMap<>();
    List<ConsumerRecord<byte[], byte[]>> output = kafka.readAll(sampledTopic);
    Map<String, List<Long>> kept = StreamsKit.keptSpans(output, records);
    Set<String> expected =
        sent.stream().filter(keeps).map(TraceLoad.Trace::key).collect(Collectors.toSet());
    assertThat(kept.keySet().stream().filter(t -> !expected.contains(t)).toList())
        .as("dropped traces with spans in the output")
        .isEmpty();
    assertThat(expected.stream().filter(t -> !kept.containsKey(t)).toList())
        .as("kept traces missing from the output")
        .isEmpty();
    assertThat(
            kept.entrySet().stream()
                .filter(
                    e -> e.getValue().size() != 3 || !e.getValue().containsAll(List.of(0L, 1L, 2L)))
                .toList())
        .as("kept traces without exactly their three spans")
        .isEmpty();
    if (oneRecordPerTrace) {
      assertThat(records.entrySet().stream().filter(e -> e.getValue() != 1).toList())
          .as("kept traces split over several records")
          .isEmpty();
    }
  }
}
