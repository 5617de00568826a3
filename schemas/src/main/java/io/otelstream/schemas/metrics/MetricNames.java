package io.otelstream.schemas.metrics;

import java.util.List;

/**
 * Every metric otelstream's components register, in one place (a contract like the record formats):
 * components register under {@link MetricName#name()}, and `otelstream status`, dashboards' tests
 * and alert tests read {@link MetricName#prometheus()}. Labels and descriptions stay with the code
 * that counts.
 */
public final class MetricNames {
  private MetricNames() {}

  // The edge.
  public static final MetricName EDGE_REQUESTS_RECEIVED =
      MetricName.counter("otelstream.edge.requests.received");
  public static final MetricName EDGE_REQUESTS_REJECTED =
      MetricName.counter("otelstream.edge.requests.rejected");
  public static final MetricName EDGE_ITEMS_RECEIVED =
      MetricName.counter("otelstream.edge.items.received");
  public static final MetricName EDGE_ITEMS_ACCEPTED =
      MetricName.counter("otelstream.edge.items.accepted");
  public static final MetricName EDGE_ITEMS_REJECTED =
      MetricName.counter("otelstream.edge.items.rejected");
  public static final MetricName EDGE_KAFKA_RECORDS =
      MetricName.counter("otelstream.edge.kafka.records");
  public static final MetricName EDGE_PRODUCE_LATENCY =
      MetricName.timer("otelstream.edge.produce.latency");
  public static final MetricName EDGE_INFLIGHT_BYTES =
      MetricName.gauge("otelstream.edge.inflight.bytes", "bytes");
  public static final MetricName EDGE_INFLIGHT_REQUESTS =
      MetricName.gauge("otelstream.edge.inflight.requests");
  public static final MetricName EDGE_CONNECTIONS_AGED =
      MetricName.counter("otelstream.edge.connections.aged");
  public static final MetricName EDGE_TOKEN_RELOADS =
      MetricName.counter("otelstream.edge.token.reloads");
  public static final MetricName EDGE_READY = MetricName.gauge("otelstream.edge.ready");

  // The streams app.
  public static final MetricName STREAMS_CARDINALITY_ATTRIBUTES_DROPPED =
      MetricName.counter("otelstream.streams.cardinality.attributes.dropped");
  public static final MetricName STREAMS_CARDINALITY_DROPPED_ATTRIBUTES =
      MetricName.gauge("otelstream.streams.cardinality.dropped.attributes");
  public static final MetricName STREAMS_CARDINALITY_OVERFLOW_POINTS =
      MetricName.counter("otelstream.streams.cardinality.overflow.points");
  public static final MetricName STREAMS_CARDINALITY_OVERFLOWING_METRICS =
      MetricName.gauge("otelstream.streams.cardinality.overflowing.metrics");
  public static final MetricName STREAMS_DEADLETTER_RECORDS =
      MetricName.counter("otelstream.streams.deadletter.records");
  public static final MetricName STREAMS_DECISION_FILTER_HEAP =
      MetricName.gauge("otelstream.streams.decision.filter.heap", "bytes");
  public static final MetricName STREAMS_DECISION_LATENCY =
      MetricName.timer("otelstream.streams.decision.latency");
  public static final MetricName STREAMS_EARLY_DECISIONS =
      MetricName.counter("otelstream.streams.early.decisions");
  public static final MetricName STREAMS_IN_FLIGHT_HEAP_LIMIT =
      MetricName.gauge("otelstream.streams.in.flight.heap.limit", "bytes");
  public static final MetricName STREAMS_IN_FLIGHT_HEAP_USED =
      MetricName.gauge("otelstream.streams.in.flight.heap.used", "bytes");
  public static final MetricName STREAMS_INPUT_LAG_RECORDS =
      MetricName.gauge("otelstream.streams.input.lag.records");
  public static final MetricName STREAMS_ITEMS = MetricName.counter("otelstream.streams.items");
  public static final MetricName STREAMS_LATE_SPANS =
      MetricName.counter("otelstream.streams.late.spans");
  public static final MetricName STREAMS_METRIC_POINTS_AGGREGATED =
      MetricName.counter("otelstream.streams.metric.points.aggregated");
  public static final MetricName STREAMS_METRIC_POINTS_DROPPED =
      MetricName.counter("otelstream.streams.metric.points.dropped");
  public static final MetricName STREAMS_METRIC_SERIES_ACTIVE =
      MetricName.gauge("otelstream.streams.metric.series.active");
  public static final MetricName STREAMS_METRIC_SERIES_EMITTED =
      MetricName.counter("otelstream.streams.metric.series.emitted");
  public static final MetricName STREAMS_METRIC_SOURCE_RESETS =
      MetricName.counter("otelstream.streams.metric.source.resets");
  public static final MetricName STREAMS_METRIC_SOURCES_FORGOTTEN =
      MetricName.counter("otelstream.streams.metric.sources.forgotten");
  public static final MetricName STREAMS_METRIC_SUMMARY_QUANTILES_DROPPED =
      MetricName.counter("otelstream.streams.metric.summary.quantiles.dropped");
  public static final MetricName STREAMS_POLICY_ERRORS =
      MetricName.counter("otelstream.streams.policy.errors");
  public static final MetricName STREAMS_PROCESSOR_DROPPED_ITEMS =
      MetricName.counter("otelstream.streams.processor.dropped.items");
  public static final MetricName STREAMS_PROCESSOR_REDACTED_VALUES =
      MetricName.counter("otelstream.streams.processor.redacted.values");
  public static final MetricName STREAMS_READY = MetricName.gauge("otelstream.streams.ready");
  public static final MetricName STREAMS_REBUILD_DURATION =
      MetricName.timer("otelstream.streams.rebuild.duration");
  public static final MetricName STREAMS_REBUILD_LOST_OFFSETS =
      MetricName.counter("otelstream.streams.rebuild.lost.offsets");
  public static final MetricName STREAMS_REBUILD_RECORDS =
      MetricName.counter("otelstream.streams.rebuild.records");
  public static final MetricName STREAMS_REBUILD_TRACES =
      MetricName.counter("otelstream.streams.rebuild.traces");
  public static final MetricName STREAMS_REBUILD_UNREAD_OFFSETS =
      MetricName.counter("otelstream.streams.rebuild.unread.offsets");
  public static final MetricName STREAMS_RECORD_TIME_ADJUSTED =
      MetricName.counter("otelstream.streams.record.time.adjusted");
  public static final MetricName STREAMS_RECORDS_LOST_TO_RETENTION =
      MetricName.counter("otelstream.streams.records.lost.to.retention");
  public static final MetricName STREAMS_RESTORE_RECORDS =
      MetricName.counter("otelstream.streams.restore.records");
  public static final MetricName STREAMS_RESTORING_PARTITIONS =
      MetricName.gauge("otelstream.streams.restoring.partitions");
  public static final MetricName STREAMS_SERVICE_GRAPH_UNPAIRED_SPANS =
      MetricName.counter("otelstream.streams.service.graph.unpaired.spans");
  public static final MetricName STREAMS_SPANS = MetricName.counter("otelstream.streams.spans");
  public static final MetricName STREAMS_SPANS_DROPPED =
      MetricName.counter("otelstream.streams.spans.dropped");
  public static final MetricName STREAMS_STATE_DISK_FREE_BYTES =
      MetricName.gauge("otelstream.streams.state.disk.free.bytes");
  public static final MetricName STREAMS_STATE_DISK_SIZE_BYTES =
      MetricName.gauge("otelstream.streams.state.disk.size.bytes");
  public static final MetricName STREAMS_STATE_DISK_USED_BYTES =
      MetricName.gauge("otelstream.streams.state.disk.used.bytes");
  public static final MetricName STREAMS_STATE_REFUSED =
      MetricName.gauge("otelstream.streams.state.refused");
  public static final MetricName STREAMS_TRACES_DECIDED =
      MetricName.counter("otelstream.streams.traces.decided");
  public static final MetricName STREAMS_TRACES_IN_FLIGHT =
      MetricName.gauge("otelstream.streams.traces.in.flight");
  public static final MetricName STREAMS_TRACES_SPILLED =
      MetricName.counter("otelstream.streams.traces.spilled");

  // The sink connectors' plugin metrics (Kafka Connect names; connect-metrics serves them).
  public static final MetricName SINK_RECORDS_SENT_TOTAL = MetricName.sink("records-sent-total");
  public static final MetricName SINK_BYTES_SENT_TOTAL = MetricName.sink("bytes-sent-total");
  public static final MetricName SINK_BATCHES_SENT_TOTAL = MetricName.sink("batches-sent-total");
  public static final MetricName SINK_BATCHES_FAILED_TOTAL =
      MetricName.sink("batches-failed-total");
  public static final MetricName SINK_ITEMS_DROPPED_TOTAL = MetricName.sink("items-dropped-total");
  public static final MetricName SINK_RECORDS_DEADLETTERED_TOTAL =
      MetricName.sink("records-deadlettered-total");
  public static final MetricName SINK_RECORDS_LOST_TO_RETENTION_TOTAL =
      MetricName.sink("records-lost-to-retention-total");
  public static final MetricName SINK_BACKEND_CONSECUTIVE_FAILURES =
      MetricName.sink("backend-consecutive-failures");
  public static final MetricName SINK_BACKEND_LATENCY_AVG_MS =
      MetricName.sink("backend-latency-avg-ms");
  public static final MetricName SINK_BACKEND_LATENCY_MAX_MS =
      MetricName.sink("backend-latency-max-ms");
  public static final MetricName SINK_BACKEND_LATENCY_SECONDS_BUCKET =
      MetricName.sink("backend-latency-seconds-bucket");
  public static final MetricName SINK_BACKEND_LATENCY_SECONDS_SUM =
      MetricName.sink("backend-latency-seconds-sum");
  public static final MetricName SINK_LAG_SECONDS = MetricName.sink("lag-seconds");

  /** Every name above. */
  public static final List<MetricName> ALL =
      List.of(
          EDGE_REQUESTS_RECEIVED,
          EDGE_REQUESTS_REJECTED,
          EDGE_ITEMS_RECEIVED,
          EDGE_ITEMS_ACCEPTED,
          EDGE_ITEMS_REJECTED,
          EDGE_KAFKA_RECORDS,
          EDGE_PRODUCE_LATENCY,
          EDGE_INFLIGHT_BYTES,
          EDGE_INFLIGHT_REQUESTS,
          EDGE_CONNECTIONS_AGED,
          EDGE_TOKEN_RELOADS,
          EDGE_READY,
          STREAMS_CARDINALITY_ATTRIBUTES_DROPPED,
          STREAMS_CARDINALITY_DROPPED_ATTRIBUTES,
          STREAMS_CARDINALITY_OVERFLOW_POINTS,
          STREAMS_CARDINALITY_OVERFLOWING_METRICS,
          STREAMS_DEADLETTER_RECORDS,
          STREAMS_DECISION_FILTER_HEAP,
          STREAMS_DECISION_LATENCY,
          STREAMS_EARLY_DECISIONS,
          STREAMS_IN_FLIGHT_HEAP_LIMIT,
          STREAMS_IN_FLIGHT_HEAP_USED,
          STREAMS_INPUT_LAG_RECORDS,
          STREAMS_ITEMS,
          STREAMS_LATE_SPANS,
          STREAMS_METRIC_POINTS_AGGREGATED,
          STREAMS_METRIC_POINTS_DROPPED,
          STREAMS_METRIC_SERIES_ACTIVE,
          STREAMS_METRIC_SERIES_EMITTED,
          STREAMS_METRIC_SOURCE_RESETS,
          STREAMS_METRIC_SOURCES_FORGOTTEN,
          STREAMS_METRIC_SUMMARY_QUANTILES_DROPPED,
          STREAMS_POLICY_ERRORS,
          STREAMS_PROCESSOR_DROPPED_ITEMS,
          STREAMS_PROCESSOR_REDACTED_VALUES,
          STREAMS_READY,
          STREAMS_REBUILD_DURATION,
          STREAMS_REBUILD_LOST_OFFSETS,
          STREAMS_REBUILD_RECORDS,
          STREAMS_REBUILD_TRACES,
          STREAMS_REBUILD_UNREAD_OFFSETS,
          STREAMS_RECORD_TIME_ADJUSTED,
          STREAMS_RECORDS_LOST_TO_RETENTION,
          STREAMS_RESTORE_RECORDS,
          STREAMS_RESTORING_PARTITIONS,
          STREAMS_SERVICE_GRAPH_UNPAIRED_SPANS,
          STREAMS_SPANS,
          STREAMS_SPANS_DROPPED,
          STREAMS_STATE_DISK_FREE_BYTES,
          STREAMS_STATE_DISK_SIZE_BYTES,
          STREAMS_STATE_DISK_USED_BYTES,
          STREAMS_STATE_REFUSED,
          STREAMS_TRACES_DECIDED,
          STREAMS_TRACES_IN_FLIGHT,
          STREAMS_TRACES_SPILLED,
          SINK_RECORDS_SENT_TOTAL,
          SINK_BYTES_SENT_TOTAL,
          SINK_BATCHES_SENT_TOTAL,
          SINK_BATCHES_FAILED_TOTAL,
          SINK_ITEMS_DROPPED_TOTAL,
          SINK_RECORDS_DEADLETTERED_TOTAL,
          SINK_RECORDS_LOST_TO_RETENTION_TOTAL,
          SINK_BACKEND_CONSECUTIVE_FAILURES,
          SINK_BACKEND_LATENCY_AVG_MS,
          SINK_BACKEND_LATENCY_MAX_MS,
          SINK_BACKEND_LATENCY_SECONDS_BUCKET,
          SINK_BACKEND_LATENCY_SECONDS_SUM,
          SINK_LAG_SECONDS);
}
