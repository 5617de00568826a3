package io.otelstream.streams.signals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.otelstream.schemas.Signal;
import io.otelstream.streams.traces.DeadLetters;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Drops log records by severity, body or attribute, and deletes attributes from the rest. */
public final class LogsProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  public static final String SINK = "logs-sink";

  private final int minSeverity;
  private final List<Pattern> bodyPatterns;
  private final List<LogsConfig.AttributeMatch> dropAttributes;
  private final Set<String> deleteAttributes;
  private final SignalMetrics metrics;
  private final io.otelstream.streams.processing.Pipelines processing;
  private final io.otelstream.streams.processing.ProcessorDrops drops;
  private ProcessorContext<byte[], byte[]> context;

  public LogsProcessor(LogsConfig config, SignalMetrics metrics) {
    this(config, metrics, io.otelstream.streams.processing.Pipelines.NONE);
  }

  /** With the Collector processors of the logs pipeline, run before the filters above. */
  public LogsProcessor(
      LogsConfig config,
      SignalMetrics metrics,
      io.otelstream.streams.processing.Pipelines processing) {
    this.processing = processing;
    this.drops =
        new io.otelstream.streams.processing.ProcessorDrops(
            metrics.registry(), Signal.LOGS, processing);
    this.minSeverity =
        config.minSeverity() == null ? 0 : LogsConfig.severityNumber(config.minSeverity());
    this.bodyPatterns = config.dropBodyRegex().stream().map(Pattern::compile).toList();
    this.dropAttributes = config.dropAttributes();
    this.deleteAttributes = Set.copyOf(config.deleteAttributes());
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ExportLogsServiceRequest request;
    try {
      request = ExportLogsServiceRequest.parseFrom(record.value());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      metrics.deadLettered(Signal.LOGS, "undecodable");
      DeadLetters.send(context, record, "undecodable", DeadLetters.LOGS_SINK);
      return;
    }
    if (!processing.isEmpty(Signal.LOGS)) {
      ExportLogsServiceRequest.Builder processed = request.toBuilder();
      processing.logs(processed, drops);
      request = processed.build();
    }
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    long kept = 0;
    long dropped = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceLogs.Builder rb = rl.toBuilder().clearScopeLogs();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder sb = sl.toBuilder().clearLogRecords();
        for (LogRecord lr : sl.getLogRecordsList()) {
          if (drops(lr)) {
            dropped++;
            continue;
          }
          kept++;
          sb.addLogRecords(
              deleteAttributes.isEmpty()
                  ? lr
                  : lr.toBuilder()
                      .clearAttributes()
                      .addAllAttributes(
                          lr.getAttributesList().stream()
                              .filter(a -> !deleteAttributes.contains(a.getKey()))
                              .toList())
                      .build());
        }
        if (sb.getLogRecordsCount() > 0) {
          rb.addScopeLogs(sb);
        }
      }
      if (rb.getScopeLogsCount() > 0) {
        out.addResourceLogs(rb);
      }
    }
    metrics.items(Signal.LOGS, kept, dropped);
    if (out.getResourceLogsCount() > 0) {
      context.forward(record.withValue(out.build().toByteArray()), SINK);
    }
  }

  private boolean drops(LogRecord lr) {
    int severity = lr.getSeverityNumberValue();
    if (minSeverity > 0 && severity > 0 && severity < minSeverity) {
      return true;
    }
    if (!bodyPatterns.isEmpty() && lr.getBody().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      String body = lr.getBody().getStringValue();
      for (Pattern p : bodyPatterns) {
        if (p.matcher(body).find()) {
          return true;
        }
      }
    }
    for (LogsConfig.AttributeMatch m : dropAttributes) {
      for (KeyValue kv : lr.getAttributesList()) {
        if (kv.getKey().equals(m.key())
            && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
            && m.values().contains(kv.getValue().getStringValue())) {
          return true;
        }
      }
    }
    return false;
  }
}
