package io.otelstream.streams.spanmetrics;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.streams.sampling.TraceData;
import java.util.function.ObjIntConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts span metrics and service-graph edges for every span of a decided trace (kept or dropped)
 * and every late span, in the tail-sampling task's changelogged store, so the counts commit with
 * the decisions that made them; exemplars come only from kept traces, because the decision is known
 * when the spans are counted.
 */
public final class TraceMetricsRecorder {
  private final SpanMetrics spanMetrics; // null when off
  private final ServiceGraph serviceGraph; // null when off
  private final MetricDeltas deltas;
  private final ObjIntConsumer<String> unpaired;

  /**
   * @param unpaired hears of spans in no service-graph edge, by kind (client, server, producer,
   *     consumer, late)
   */
  public TraceMetricsRecorder(
      TraceMetricsConfig config,
      KeyValueStore<Bytes, byte[]> store,
      ProcessorContext<byte[], byte[]> context,
      ObjIntConsumer<String> unpaired) {
    this.spanMetrics =
        config.spanMetrics().enabled() ? new SpanMetrics(config.spanMetrics()) : null;
    this.serviceGraph =
        config.serviceGraph().enabled() ? new ServiceGraph(config.serviceGraph()) : null;
    this.deltas = new MetricDeltas(store, context, config.maxExemplars());
    this.unpaired = unpaired;
  }

  /** Counts the spans of a decided trace. */
  public void record(TraceData trace, String tenant, boolean kept) {
    if (spanMetrics != null) {
      for (TraceData.SpanWithResource s : trace.spans()) {
        spanMetrics.count(deltas, tenant, s.resource(), s.span(), kept);
      }
    }
    if (serviceGraph != null) {
      serviceGraph.count(deltas, tenant, trace.spans(), unpaired);
    }
  }

  /**
   * Counts the spans of a late record (its trace already decided). Span metrics count them; the
   * service graph cannot pair them with spans already gone, so they count as unpaired.
   */
  public void recordLate(byte[] value, String tenant, boolean kept) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a validated record does not decode", e);
    }
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (spanMetrics != null) {
            spanMetrics.count(deltas, tenant, rs.getResource(), span, kept);
          }
          if (serviceGraph != null && span.getKind() != Span.SpanKind.SPAN_KIND_INTERNAL) {
            unpaired.accept("late", 1);
          }
        }
      }
    }
  }

  /**
   * Writes what was counted since the last call into the store. The processor calls it at the end
   * of every call that may have counted (a record, a punctuation), never within one: Kafka Streams
   * commits only between calls, so the counts commit with the decisions that made them, and a
   * series counted by many traces of one call is written once.
   */
  public void commit() {
    deltas.commit();
  }

  /** Writes what was counted since the last flush to the metrics aggregation topic. */
  public void flush(long nowMs) {
    deltas.commit();
    deltas.flush(nowMs);
  }
}
