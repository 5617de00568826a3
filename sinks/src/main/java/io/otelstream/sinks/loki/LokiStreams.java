package io.otelstream.sinks.loki;

import com.google.protobuf.Timestamp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.otelstream.schemas.OtlpJson;
import io.otelstream.schemas.loki.EntryAdapter;
import io.otelstream.schemas.loki.LabelPairAdapter;
import io.otelstream.schemas.loki.PushRequest;
import io.otelstream.schemas.loki.StreamAdapter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** OTLP logs to Loki streams: a few resource attributes as labels, everything else as metadata. */
final class LokiStreams {
  private final List<String> labelAttributes;
  private final Set<String> labelSet;
  private final Map<String, List<EntryAdapter>> entriesBySelector = new LinkedHashMap<>();

  LokiStreams(List<String> labelAttributes) {
    this.labelAttributes = labelAttributes;
    this.labelSet = Set.copyOf(labelAttributes);
  }

  void add(ExportLogsServiceRequest request) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Map<String, String> labels = new TreeMap<>();
      List<LabelPairAdapter> resourceMetadata = new ArrayList<>();
      for (KeyValue kv : rl.getResource().getAttributesList()) {
        if (labelSet.contains(kv.getKey())) {
          labels.put(labelName(kv.getKey()), text(kv.getValue()));
        } else {
          resourceMetadata.add(pair(kv.getKey(), text(kv.getValue())));
        }
      }
      if (labels.isEmpty()) {
        // Loki refuses streams without labels; OpenTelemetry names a service-less resource so.
        labels.put(labelName(labelAttributes.get(0)), "unknown_service");
      }
      List<EntryAdapter> entries =
          entriesBySelector.computeIfAbsent(selector(labels), s -> new ArrayList<>());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord lr : sl.getLogRecordsList()) {
          entries.add(entry(lr, sl, resourceMetadata));
        }
      }
    }
  }

  PushRequest build() {
    PushRequest.Builder push = PushRequest.newBuilder();
    entriesBySelector.forEach(
        (selector, entries) -> {
          entries.sort(
              Comparator.comparingLong((EntryAdapter e) -> e.getTimestamp().getSeconds())
                  .thenComparingInt(e -> e.getTimestamp().getNanos()));
          push.addStreams(StreamAdapter.newBuilder().setLabels(selector).addAllEntries(entries));
        });
    return push.build();
  }

  private static EntryAdapter entry(
      LogRecord lr, ScopeLogs sl, List<LabelPairAdapter> resourceMetadata) {
    long nanos = lr.getTimeUnixNano() != 0 ? lr.getTimeUnixNano() : lr.getObservedTimeUnixNano();
    if (nanos == 0) {
      nanos = System.currentTimeMillis() * 1_000_000L;
    }
    EntryAdapter.Builder e =
        EntryAdapter.newBuilder()
            .setTimestamp(
                Timestamp.newBuilder()
                    .setSeconds(nanos / 1_000_000_000L)
                    .setNanos((int) (nanos % 1_000_000_000L)))
            .setLine(text(lr.getBody()))
            .addAllStructuredMetadata(resourceMetadata);
    for (KeyValue kv : lr.getAttributesList()) {
      e.addStructuredMetadata(pair(kv.getKey(), text(kv.getValue())));
    }
    if (!lr.getSeverityText().isEmpty()) {
      e.addStructuredMetadata(pair("severity_text", lr.getSeverityText()));
    }
    if (lr.getSeverityNumberValue() != 0) {
      e.addStructuredMetadata(
          pair("severity_number", Integer.toString(lr.getSeverityNumberValue())));
    }
    if (!lr.getTraceId().isEmpty()) {
      e.addStructuredMetadata(
          pair("trace_id", HexFormat.of().formatHex(lr.getTraceId().toByteArray())));
    }
    if (!lr.getSpanId().isEmpty()) {
      e.addStructuredMetadata(
          pair("span_id", HexFormat.of().formatHex(lr.getSpanId().toByteArray())));
    }
    if (!sl.getScope().getName().isEmpty()) {
      e.addStructuredMetadata(pair("scope_name", sl.getScope().getName()));
    }
    return e.build();
  }

  /**
   * Loki label names follow the Prometheus label rules, as Loki's own OTLP ingestion names them:
   * the one sanitiser the Mimir sink uses.
   */
  static String labelName(String attribute) {
    return io.otelstream.sinks.mimir.PrometheusNames.label(attribute);
  }

  /** {name="value", ...} with quotes and backslashes escaped. */
  static String selector(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    labels.forEach(
        (k, v) -> {
          if (sb.length() > 1) {
            sb.append(", ");
          }
          sb.append(k)
              .append("=\"")
              .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
              .append('"');
        });
    return sb.append('}').toString();
  }

  private static LabelPairAdapter pair(String name, String value) {
    return LabelPairAdapter.newBuilder().setName(labelName(name)).setValue(value).build();
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case VALUE_NOT_SET -> "";
      default -> OtlpJson.printPlain(v);
    };
  }
}
