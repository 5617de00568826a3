package io.otelstream.streams.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** OTLP requests built and read back for the processing tests (and the launcher's). */
public final class Otlp {
  private Otlp() {}

  /** An attribute: strings, longs, doubles and booleans as their OTLP types. */
  public static KeyValue kv(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof String s) {
      v.setStringValue(s);
    } else if (value instanceof Long l) {
      v.setIntValue(l);
    } else if (value instanceof Integer i) {
      v.setIntValue(i);
    } else if (value instanceof Double d) {
      v.setDoubleValue(d);
    } else if (value instanceof Boolean b) {
      v.setBoolValue(b);
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + value);
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  public static Resource service(String name) {
    return Resource.newBuilder().addAttributes(kv("service.name", name)).build();
  }

  public static InstrumentationScope scope(String name, String version) {
    return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
  }

  /** A span of {@code trace} with span id {@code n}, starting now. */
  public static Span.Builder span(byte[] trace, int n, String name, Span.SpanKind kind) {
    long now = System.currentTimeMillis() * 1_000_000L;
    byte[] id = new byte[8];
    id[7] = (byte) n;
    id[0] = 1;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(id))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(now)
        .setEndTimeUnixNano(now + 1_000_000);
  }

  public static byte[] traces(Resource resource, InstrumentationScope scope, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource)
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(spans)))
        .build()
        .toByteArray();
  }

  public static byte[] metrics(Resource resource, List<Metric> metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics)))
        .build()
        .toByteArray();
  }

  public static byte[] logs(Resource resource, InstrumentationScope scope, List<LogRecord> logs) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(resource)
                .addScopeLogs(ScopeLogs.newBuilder().setScope(scope).addAllLogRecords(logs)))
        .build()
        .toByteArray();
  }

  /** Every span in a topic's records. */
  public static List<Span> spansIn(List<ConsumerRecord<byte[], byte[]>> records) {
    List<Span> out = new ArrayList<>();
    each(
        records,
        v ->
            ExportTraceServiceRequest.parseFrom(v)
                .getResourceSpansList()
                .forEach(
                    rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList()))));
    return out;
  }

  /** Every metric in a topic's records. */
  public static List<Metric> metricsIn(List<ConsumerRecord<byte[], byte[]>> records) {
    List<Metric> out = new ArrayList<>();
    each(
        records,
        v ->
            ExportMetricsServiceRequest.parseFrom(v)
                .getResourceMetricsList()
                .forEach(
                    rm -> rm.getScopeMetricsList().forEach(sm -> out.addAll(sm.getMetricsList()))));
    return out;
  }

  /**
   * The resource attributes of every resource in a topic's records of any signal (a list per
   * resource, in order), as a set: what resource processors did, whatever the batching.
   */
  public static java.util.Set<java.util.Map<String, AnyValue>> resourcesIn(
      List<ConsumerRecord<byte[], byte[]>> records) {
    java.util.Set<java.util.Map<String, AnyValue>> out = new java.util.HashSet<>();
    each(
        records,
        v -> {
          // Every signal's request keeps its resources in field 1, each resource in field 1.
          ExportTraceServiceRequest.parseFrom(v)
              .getResourceSpansList()
              .forEach(
                  rs -> {
                    java.util.Map<String, AnyValue> m = new java.util.TreeMap<>();
                    rs.getResource()
                        .getAttributesList()
                        .forEach(kv -> m.put(kv.getKey(), kv.getValue()));
                    out.add(m);
                  });
        });
    return out;
  }

  /** Every log record in a topic's records. */
  public static List<LogRecord> logsIn(List<ConsumerRecord<byte[], byte[]>> records) {
    List<LogRecord> out = new ArrayList<>();
    each(
        records,
        v ->
            ExportLogsServiceRequest.parseFrom(v)
                .getResourceLogsList()
                .forEach(
                    rl -> rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList()))));
    return out;
  }

  private interface Parse {
    void accept(byte[] value) throws InvalidProtocolBufferException;
  }

  private static void each(List<ConsumerRecord<byte[], byte[]>> records, Parse parse) {
    Consumer<byte[]> c =
        v -> {
          try {
            parse.accept(v);
          } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("an undecodable record", e);
          }
        };
    records.forEach(r -> c.accept(r.value()));
  }
}
