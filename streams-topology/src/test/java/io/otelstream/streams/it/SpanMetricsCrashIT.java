package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Span metrics under continuous trace load while the streams JVM is killed with SIGKILL three
 * times: afterwards the calls series, read committed, add up to exactly the spans sent (each span
 * once, kept or dropped), errors to the error spans, the service graph's requests to the traces
 * (one root server span each), and no series ever decreased.
 */
class SpanMetricsCrashIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String APP = "span-metrics-crash";
  private static final String POLICIES =
      """
      decision_wait: 3s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;
  private static final String MORE =
      """
      metrics:
        aggregation: {interval: 500ms, staleness: 300s}
      span_metrics: {enabled: true, metrics_flush_interval: 500ms}
      service_graph: {enabled: true, metrics_flush_interval: 500ms}
      """;

  @Test
  void everySpanIsCountedOnceAcrossKills() throws Exception {
    StreamsKit.Child app = StreamsKit.child(kafka, APP, dir, POLICIES, MORE);
    int port = app.adminPort();
    TopicCatalog topics = app.topics();
    String out = topics.name(Topic.METRICS_PROCESSED);
    Path log = dir.resolve("streams.log");
    Random random = new Random(23);
    Set<TraceLoad.Trace> sent;
    try (ContinuousLoad load =
        new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 100)) {
      for (int kill = 1; kill <= 3; kill++) {
        Process instance = app.start(log);
        try {
          TraceLoad.await(
              () -> StreamsKit.metric(port, "otelstream_streams_traces_decided_total") > 0, 120);
          Thread.sleep(random.nextInt(3000)); // a random moment under load, transactions open
        } finally {
          instance.destroyForcibly().waitFor(); // SIGKILL
        }
      }
      load.close();
      sent = load.traces();
    }
    long spans = 3L * sent.size();
    long errors = sent.stream().filter(TraceLoad.Trace::error).count();
    Process last = app.start(log);
    try {
      try {
        TraceLoad.awaitSlowly(() -> calls(out, null) == spans, 90);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // Keep the app's log for the report before the temporary directory goes.
        java.nio.file.Files.copy(
            log,
            Path.of("target", "SpanMetricsCrashIT-streams.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(calls(out, null))
            .as(
                "calls after 90 s (%d traces, %d error traces, %d of them decided; the tasks'"
                    + " deltas in %s add up to %d)",
                sent.size(),
                errors,
                decided(sent),
                topics.name(Topic.METRICS_AGGREGATION),
                deltas(topics.name(Topic.METRICS_AGGREGATION)))
            .isEqualTo(spans);
      }
      assertThat(calls(out, "STATUS_CODE_ERROR")).isEqualTo(errors);
      // One root server span per trace: one request from the virtual node "user" each.
      TraceLoad.awaitSlowly(
          () -> last(kafka.readAll(out), "traces_service_graph_request_total", null) == sent.size(),
          60);
    } finally {
      last.destroy();
      last.waitFor();
    }
  }

  private static long decided(Set<TraceLoad.Trace> sent) {
    var decisions = Outcome.decisions(kafka, APP);
    return sent.stream().filter(t -> decisions.containsKey(t.key())).count();
  }

  /** The calls the sampling tasks wrote as deltas to the aggregation topic (read committed). */
  private static long deltas(String topic) {
    long sum = 0;
    for (var r : kafka.readAll(topic)) {
      try {
        for (var rm : ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
          for (var sm : rm.getScopeMetricsList()) {
            for (Metric m : sm.getMetricsList()) {
              if (m.getName().equals("traces.span.metrics.calls")) {
                sum += m.getSum().getDataPoints(0).getAsInt();
              }
            }
          }
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return sum;
  }

  private static long calls(String topic, String status) {
    return last(kafka.readAll(topic), "traces.span.metrics.calls", status);
  }

  /**
   * The sum over a counter's series of their last committed values (of one status code, or all);
   * fails if any series ever decreased.
   */
  static long last(
      java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records,
      String name,
      String status) {
    Map<String, Long> last = new TreeMap<>();
    for (var r : records) {
      try {
        for (var rm : ExportMetricsServiceRequest.parseFrom(r.value()).getResourceMetricsList()) {
          for (var sm : rm.getScopeMetricsList()) {
            for (Metric m : sm.getMetricsList()) {
              if (!m.getName().equals(name) || m.getSum().getDataPoints(0).getFlags() != 0) {
                continue;
              }
              var p = m.getSum().getDataPoints(0);
              String key =
                  p.getAttributesList().stream()
                      .map(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
                      .sorted()
                      .collect(Collectors.joining(","));
              if (status != null
                  && p.getAttributesList().stream()
                      .noneMatch(
                          kv ->
                              kv.getKey().equals("status.code")
                                  && kv.getValue().getStringValue().equals(status))) {
                continue;
              }
              Long before = last.put(key, p.getAsInt());
              assertThat(p.getAsInt())
                  .as("series %s never decreases", key)
                  .isGreaterThanOrEqualTo(before == null ? 0 : before);
            }
          }
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return last.values().stream().mapToLong(Long::longValue).sum();
  }
}
