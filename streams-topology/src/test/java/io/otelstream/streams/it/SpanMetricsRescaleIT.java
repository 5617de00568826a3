package io.otelstream.streams.it;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Span metrics and service graph scaled out to a second instance and back in under continuous trace
 * load: the sampling tasks move with their changelogged counts, and afterwards the calls add up to
 * exactly the spans sent and the service graph's requests to the traces (each root span once).
 */
class SpanMetricsRescaleIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private StreamsAppConfig config(String instance) {
    return StreamsKit.config(
        StreamsKit.yaml(
                kafka,
                "span-metrics-rescale",
                dir.resolve(instance),
                0,
                "{prefix: smrescale., replication_factor: 1, min_insync_replicas: 1}",
                """
                decision_wait: 2s
                policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
                """)
            + """
            metrics:
              aggregation: {interval: 500ms, staleness: 300s}
            span_metrics: {enabled: true, metrics_flush_interval: 500ms}
            service_graph: {enabled: true, metrics_flush_interval: 500ms}
            """);
  }

  @Test
  void countsStayExactWhenScalingOutAndIn() throws Exception {
    StreamsAppConfig a = config("a");
    TopicCatalog topics = StreamsKit.applyTopics(kafka, a);
    String out = topics.name(Topic.METRICS_PROCESSED);
    Set<TraceLoad.Trace> sent;
    try (StreamsApp first = StreamsApp.start(a);
        ContinuousLoad load =
            new ContinuousLoad(kafka.bootstrapServers(), topics.name(Topic.TRACES), 300)) {
      TraceLoad.await(
          () -> StreamsKit.metric(first.adminPort(), "otelstream_streams_traces_decided_total") > 0,
          90);
      try (StreamsApp second = StreamsApp.start(config("b"))) {
        TraceLoad.await(
            () ->
                StreamsKit.metric(second.adminPort(), "otelstream_streams_traces_decided_total")
                    > 0,
            90);
        Thread.sleep(3000); // both instances decide and count under load
      }
      Thread.sleep(3000); // the first instance took the tasks back and goes on
      load.close();
      sent = load.traces();
      TraceLoad.awaitSlowly(
          () ->
              SpanMetricsCrashIT.last(kafka.readAll(out), "traces.span.metrics.calls", null)
                  == 3L * sent.size(),
          120);
      TraceLoad.awaitSlowly(
          () ->
              SpanMetricsCrashIT.last(
                      kafka.readAll(out), "traces_service_graph_request_total", null)
                  == sent.size(),
          60);
    }
  }
}
