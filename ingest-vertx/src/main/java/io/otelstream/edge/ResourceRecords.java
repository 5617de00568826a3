package io.otelstream.edge;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelstream.schemas.RecordKeys;

/**
 * Splits metric and log exports into one record per resource, keyed by the resource hash; a
 * resource larger than the record limit is cut between metrics or log records.
 */
final class ResourceRecords {
  private static final int HEADER_SLACK = 64;

  private ResourceRecords() {}

  static Batch metrics(ExportMetricsServiceRequest request, int max) {
    Batch batch = new Batch();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      byte[] key = RecordKeys.resourceKey(rm.getResource());
      long points = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          points += dataPoints(m);
        }
      }
      batch.items += points;
      if (framed(rm.getSerializedSize()) <= max) {
        batch.add(
            key,
            ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build().toByteArray());
        continue;
      }
      long headerSize = framed(rm.getResource().getSerializedSize()) + HEADER_SLACK;
      ResourceMetrics.Builder out = null;
      long size = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder scope = null;
        long scopeHeader = framed(sm.getScope().getSerializedSize());
        for (Metric m : sm.getMetricsList()) {
          long metricSize = framed(m.getSerializedSize());
          if (metricSize + headerSize + scopeHeader > max) {
            batch.reject(
                dataPoints(m),
                "metric '"
                    + m.getName()
                    + "' alone is larger than the record limit of "
                    + max
                    + " bytes");
            continue;
          }
          if (out != null && size + metricSize + (scope == null ? scopeHeader : 0) > max) {
            batch.add(
                key,
                ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(out)
                    .build()
                    .toByteArray());
            out = null;
          }
          if (out == null) {
            out =
                ResourceMetrics.newBuilder()
                    .setResource(rm.getResource())
                    .setSchemaUrl(rm.getSchemaUrl());
            size = headerSize;
            scope = null;
          }
          if (scope == null) {
            scope =
                out.addScopeMetricsBuilder()
                    .setScope(sm.getScope())
                    .setSchemaUrl(sm.getSchemaUrl());
            size += scopeHeader;
          }
          scope.addMetrics(m);
          size += metricSize;
        }
      }
      if (out != null) {
        batch.add(
            key,
            ExportMetricsServiceRequest.newBuilder().addResourceMetrics(out).build().toByteArray());
      }
    }
    return batch;
  }

  static Batch logs(ExportLogsServiceRequest request, int max) {
    Batch batch = new Batch();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      byte[] key = RecordKeys.resourceKey(rl.getResource());
      boolean allValid = true;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        batch.items += sl.getLogRecordsCount();
        for (LogRecord lr : sl.getLogRecordsList()) {
          allValid &= problem(lr) == null;
        }
      }
      if (allValid && framed(rl.getSerializedSize()) <= max) {
        batch.add(
            key, ExportLogsServiceRequest.newBuilder().addResourceLogs(rl).build().toByteArray());
        continue;
      }
      long headerSize = framed(rl.getResource().getSerializedSize()) + HEADER_SLACK;
      ResourceLogs.Builder out = null;
      long size = 0;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder scope = null;
        long scopeHeader = framed(sl.getScope().getSerializedSize());
        for (LogRecord lr : sl.getLogRecordsList()) {
          String problem = problem(lr);
          long recordSize = framed(lr.getSerializedSize());
          if (problem == null && recordSize + headerSize + scopeHeader > max) {
            problem = "a log record alone is larger than the record limit of " + max + " bytes";
          }
          if (problem != null) {
            batch.reject(1, problem);
            continue;
          }
          if (out != null && size + recordSize + (scope == null ? scopeHeader : 0) > max) {
            batch.add(
                key,
                ExportLogsServiceRequest.newBuilder().addResourceLogs(out).build().toByteArray());
            out = null;
          }
          if (out == null) {
            out =
                ResourceLogs.newBuilder()
                    .setResource(rl.getResource())
                    .setSchemaUrl(rl.getSchemaUrl());
            size = headerSize;
            scope = null;
          }
          if (scope == null) {
            scope =
                out.addScopeLogsBuilder().setScope(sl.getScope()).setSchemaUrl(sl.getSchemaUrl());
            size += scopeHeader;
          }
          scope.addLogRecords(lr);
          size += recordSize;
        }
      }
      if (out != null) {
        batch.add(
            key, ExportLogsServiceRequest.newBuilder().addResourceLogs(out).build().toByteArray());
      }
    }
    return batch;
  }

  private static String problem(LogRecord lr) {
    if (!Ids.validOptionalTraceId(lr.getTraceId())) {
      return "log record has an invalid trace ID: "
          + TraceRecords.describe(lr.getTraceId().size(), 16);
    }
    if (!Ids.validOptionalSpanId(lr.getSpanId())) {
      return "log record has an invalid span ID: "
          + TraceRecords.describe(lr.getSpanId().size(), 8);
    }
    return null;
  }

  static long dataPoints(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  private static long framed(int length) {
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }
}
