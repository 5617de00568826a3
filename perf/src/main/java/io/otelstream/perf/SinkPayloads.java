package io.otelstream.perf;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** The record values the sink benchmarks send, one kind per signal. */
final class SinkPayloads {
  private static final SplittableRandom RANDOM = new SplittableRandom(5);

  private SinkPayloads() {}

  /** One trace of 10 spans, ~2.15 KB. */
  static byte[] traces(int i) {
    return TraceFill.trace(ByteBuffer.allocate(16).putLong(2).putLong(i).array(), 10, RANDOM);
  }

  /** One resource with 20 cumulative monotonic sums, ~1.8 KB. */
  static byte[] metrics(int i) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (int m = 0; m < 20; m++) {
      scope.addMetrics(
          Metric.newBuilder()
              .setName("http.server.requests." + m)
              .setUnit("{request}")
              .setSum(
                  Sum.newBuilder()
                      .setIsMonotonic(true)
                      .setAggregationTemporality(
                          AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                      .addDataPoints(
                          NumberDataPoint.newBuilder()
                              .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                              .setAsInt(i)
                              .addAttributes(
                                  OtlpAttributes.string("http.route", "/api/" + (i % 50))))));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(OtlpAttributes.string("service.name", "bench"))
                        .addAttributes(OtlpAttributes.string("host.name", "h" + (i % 10))))
                .addScopeMetrics(scope))
        .build()
        .toByteArray();
  }

  /** One resource with 10 log records, ~0.7 KB. */
  static byte[] logs(int i) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int l = 0; l < 10; l++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_700_000_000_000_000_000L + l)
              .setSeverityNumberValue(9)
              .setBody(
                  AnyValue.newBuilder().setStringValue("order " + i + " line " + l + " processed"))
              .addAttributes(OtlpAttributes.string("order.id", "o-" + i)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(OtlpAttributes.string("service.name", "bench"))
                        .addAttributes(OtlpAttributes.string("deployment.environment", "prod")))
                .addScopeLogs(scope))
        .build()
        .toByteArray();
  }
}
