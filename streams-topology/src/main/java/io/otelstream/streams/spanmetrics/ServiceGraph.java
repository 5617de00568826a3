package io.otelstream.streams.spanmetrics;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.streams.sampling.TraceData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjIntConsumer;

/**
 * The Collector {@code servicegraph} connector's edges for one whole trace: a client (producer)
 * span and the server (consumer) spans whose parent it is make one request from the client's
 * service to the server's. An unpaired client span naming its peer (an uninstrumented database) and
 * a root server span (called by something uninstrumented, the connector's {@code user}) make edges
 * to and from a virtual node; every other unpaired span is counted, by kind.
 */
final class ServiceGraph {
  static final String REQUESTS = "traces_service_graph_request_total";
  static final String FAILED = "traces_service_graph_request_failed_total";
  static final String SERVER_LATENCY = "traces_service_graph_request_server";
  static final String CLIENT_LATENCY = "traces_service_graph_request_client";

  private final ServiceGraphConfig config;
  private final MetricDeltas.Instrument requests;
  private final MetricDeltas.Instrument failed;
  private final MetricDeltas.Instrument server;
  private final MetricDeltas.Instrument client;
  // Label sets of recent edges: building and hashing them is most of an edge's cost.
  private final Map<List<Object>, MetricDeltas.Series> seen = new HashMap<>();

  ServiceGraph(ServiceGraphConfig config) {
    this.config = config;
    double[] bounds = config.boundsSeconds();
    this.requests = new MetricDeltas.Instrument(REQUESTS, "", null);
    this.failed = new MetricDeltas.Instrument(FAILED, "", null);
    this.server = new MetricDeltas.Instrument(SERVER_LATENCY, "s", bounds);
    this.client = new MetricDeltas.Instrument(CLIENT_LATENCY, "s", bounds);
  }

  /** Counts the trace's edges; {@code unpaired} hears of spans in no edge, by kind. */
  void count(
      MetricDeltas deltas,
      String tenant,
      List<TraceData.SpanWithResource> spans,
      ObjIntConsumer<String> unpaired) {
    Map<ByteString, List<TraceData.SpanWithResource>> callees = new HashMap<>();
    Set<ByteString> callers = new HashSet<>();
    for (TraceData.SpanWithResource s : spans) {
      if (isCallee(s.span()) && !s.span().getParentSpanId().isEmpty()) {
        callees.computeIfAbsent(s.span().getParentSpanId(), k -> new ArrayList<>()).add(s);
      }
      if (isCaller(s.span())) {
        callers.add(s.span().getSpanId());
      }
    }
    for (TraceData.SpanWithResource c : spans) {
      Span span = c.span();
      if (isCaller(span)) {
        List<TraceData.SpanWithResource> paired = callees.get(span.getSpanId());
        if (paired != null) {
          for (TraceData.SpanWithResource s : paired) {
            edge(deltas, tenant, c, s, SpanAttributes.serviceName(s.resource()), connection(span));
          }
        } else {
          String peer = peer(span, c.resource());
          if (peer != null) {
            edge(deltas, tenant, c, null, peer, "virtual_node");
          } else {
            unpaired.accept(
                span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER ? "producer" : "client", 1);
          }
        }
      } else if (isCallee(span)) {
        if (span.getParentSpanId().isEmpty()) {
          edge(deltas, tenant, null, c, SpanAttributes.serviceName(c.resource()), "virtual_node");
        } else if (!callers.contains(span.getParentSpanId())) {
          unpaired.accept(
              span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER ? "consumer" : "server", 1);
        }
      }
    }
  }

  /** One request; {@code c} or {@code s} is null for an edge to or from a virtual node. */
  private void edge(
      MetricDeltas deltas,
      String tenant,
      TraceData.SpanWithResource c,
      TraceData.SpanWithResource s,
      String serverName,
      String connectionType) {
    String clientName = c == null ? "user" : SpanAttributes.serviceName(c.resource());
    List<Object> key = new ArrayList<>(4 + 2 * config.dimensions().size());
    key.add(tenant);
    key.add(clientName);
    key.add(serverName);
    key.add(connectionType);
    for (String dim : config.dimensions()) {
      key.add(c == null ? null : SpanAttributes.spanOrResource(c.span(), c.resource(), dim));
      key.add(s == null ? null : SpanAttributes.spanOrResource(s.span(), s.resource(), dim));
    }
    MetricDeltas.Series series = seen.get(key);
    if (series == null) {
      if (seen.size() >= 10_000) {
        seen.clear();
      }
      List<KeyValue> labels = new ArrayList<>();
      labels.add(SpanAttributes.text("client", clientName));
      labels.add(SpanAttributes.text("server", serverName));
      if (!connectionType.isEmpty()) {
        labels.add(SpanAttributes.text("connection_type", connectionType));
      }
      for (String dim : config.dimensions()) {
        dimension(labels, "client_", dim, c);
        dimension(labels, "server_", dim, s);
      }
      // The connector's series carry no resource.
      series = deltas.series(tenant, Resource.getDefaultInstance(), labels);
      seen.put(key, series);
    }
    deltas.count(requests, series, 1);
    if ((c != null && failed(c.span())) || (s != null && failed(s.span()))) {
      deltas.count(failed, series, 1);
    }
    if (s != null) {
      deltas.observe(server, series, SpanAttributes.seconds(s.span()), null);
    }
    if (c != null) {
      deltas.observe(client, series, SpanAttributes.seconds(c.span()), null);
    }
  }

  private static void dimension(
      List<KeyValue> labels, String prefix, String dim, TraceData.SpanWithResource side) {
    if (side == null) {
      return;
    }
    AnyValue v = SpanAttributes.spanOrResource(side.span(), side.resource(), dim);
    if (v != null) {
      labels.add(KeyValue.newBuilder().setKey(prefix + dim).setValue(v).build());
    }
  }

  private String peer(Span span, Resource r) {
    for (String attribute : config.virtualNodePeerAttributes()) {
      AnyValue v = SpanAttributes.spanOrResource(span, r, attribute);
      if (v != null && !v.getStringValue().isEmpty()) {
        return v.getStringValue();
      }
    }
    return null;
  }

  private static String connection(Span client) {
    return client.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER ? "messaging_system" : "";
  }

  private static boolean failed(Span span) {
    return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
  }

  private static boolean isCaller(Span span) {
    return span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
        || span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER;
  }

  private static boolean isCallee(Span span) {
    return span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
        || span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER;
  }
}
