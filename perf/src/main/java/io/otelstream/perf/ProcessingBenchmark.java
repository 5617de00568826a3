package io.otelstream.perf;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.streams.processing.Pipelines;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * CPU cost of the Collector processors the streams app runs, per signal, with a typical processor
 * list (attributes delete + hash, resource upsert, a filter, a card-number redaction): each request
 * is decoded, processed and encoded as the app does, and the same without processors is the
 * baseline. Reported as CPU-seconds (this thread) per million spans, data points and log records.
 * Usage: ProcessingBenchmark [requests per signal (default 20000)]
 */
public final class ProcessingBenchmark {
  static final String CONFIG =
      """
      tail_sampling: {policies: [{name: all, type: always_sample}]}
      processors:
        attributes:
          actions:
            - {key: request_id, action: delete}
            - {key: user_id, action: hash}
            - {key: deployment.tier, value: gold, action: upsert}
        resource:
          attributes: [{key: deployment.environment, value: prod, action: upsert}]
        filter/spans:
          spans:
            exclude: {match_type: regexp, span_names: ["^GET /health"]}
        filter/metrics:
          metrics:
            exclude: {match_type: strict, metric_names: [process.runtime.jvm.gc.count]}
        filter/logs:
          logs:
            include:
              match_type: strict
              severity_number: {min: INFO, match_undefined: true}
        redaction:
          allow_all_keys: true
          blocked_values: ["4[0-9]{12}(?:[0-9]{3})?"]
      pipelines:
        traces: {processors: [attributes, resource, filter/spans, redaction]}
        metrics: {processors: [attributes, resource, filter/metrics]}
        logs: {processors: [attributes, resource, filter/logs, redaction]}
      """;

  private ProcessingBenchmark() {}

  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Pipelines pipelines =
        new ConfigLoader(Map.of())
            .parse(CONFIG, StreamsAppConfig.class, "processing benchmark")
            .processing();
    Random random = new Random(7);
    List<byte[]> spans = new ArrayList<>();
    List<byte[]> metrics = new ArrayList<>();
    List<byte[]> logs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      spans.add(spans(random));
      metrics.add(metrics(random));
      logs.add(logs(random));
    }
    Pipelines.Drops none = (p, n) -> {};
    report(
        "spans",
        requests,
        spans,
        100,
        b -> {
          var r = parse(() -> ExportTraceServiceRequest.parseFrom(b)).toBuilder();
          pipelines.traces(r, none);
          return r.build().toByteArray();
        },
        b -> parse(() -> ExportTraceServiceRequest.parseFrom(b)).toBuilder().build().toByteArray());
    report(
        "data points",
        requests,
        metrics,
        100,
        b -> {
          var r = parse(() -> ExportMetricsServiceRequest.parseFrom(b)).toBuilder();
          pipelines.metrics(r, none);
          return r.build().toByteArray();
        },
        b ->
            parse(() -> ExportMetricsServiceRequest.parseFrom(b)).toBuilder()
                .build()
                .toByteArray());
    report(
        "log records",
        requests,
        logs,
        100,
        b -> {
          var r = parse(() -> ExportLogsServiceRequest.parseFrom(b)).toBuilder();
          pipelines.logs(r, none);
          return r.build().toByteArray();
        },
        b -> parse(() -> ExportLogsServiceRequest.parseFrom(b)).toBuilder().build().toByteArray());
  }

  private interface Parse<T> {
    T get() throws com.google.protobuf.InvalidProtocolBufferException;
  }

  private static <T> T parse(Parse<T> p) {
    try {
      return p.get();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void report(
      String items,
      int requests,
      List<byte[]> inputs,
      int itemsPerRequest,
      Function<byte[], byte[]> processed,
      Function<byte[], byte[]> baseline) {
    run(requests / 4, inputs, processed); // warm-up, both paths
    run(requests / 4, inputs, baseline);
    double withProcessors = run(requests, inputs, processed);
    double without = run(requests, inputs, baseline);
    double million = requests * (double) itemsPerRequest / 1e6;
    System.out.printf(
        "%s: CPU-s per million %s: with the processors %.2f, decode + encode only %.2f, the"
            + " processors alone %.2f%n",
        items,
        items,
        withProcessors / million,
        without / million,
        (withProcessors - without) / million);
  }

  /** CPU seconds of this thread for {@code requests} requests. */
  private static double run(int requests, List<byte[]> inputs, Function<byte[], byte[]> f) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    long bytes = 0;
    for (int i = 0; i < requests; i++) {
      bytes += f.apply(inputs.get(i % inputs.size())).length;
    }
    if (bytes < 0) {
      throw new IllegalStateException(); // keeps the work observable
    }
    return (mx.getCurrentThreadCpuTime() - start) / 1e9;
  }

  private static Resource resource(Random r) {
    return Resource.newBuilder()
        .addAttributes(OtlpAttributes.string("service.name", "svc-" + r.nextInt(20)))
        .addAttributes(OtlpAttributes.string("service.instance.id", "i-" + r.nextInt(1000)))
        .addAttributes(OtlpAttributes.string("host.name", "host-" + r.nextInt(100)))
        .addAttributes(OtlpAttributes.string("telemetry.sdk.language", "java"))
        .addAttributes(OtlpAttributes.string("telemetry.sdk.version", "1.50.0"))
        .build();
  }

  private static List<KeyValue> attributes(Random r) {
    return List.of(
        OtlpAttributes.string("http.request.method", "GET"),
        OtlpAttributes.string("http.route", "/api/orders/{id}"),
        OtlpAttributes.string("http.response.status_code", "200"),
        OtlpAttributes.string("url.full", "https://shop.example/api/orders/" + r.nextInt(100000)),
        OtlpAttributes.string("user_id", "user-" + r.nextInt(100000)),
        OtlpAttributes.string("request_id", Long.toHexString(r.nextLong())),
        OtlpAttributes.string("server.address", "shop.example"),
        OtlpAttributes.string("note", r.nextInt(50) == 0 ? "card 4111111111111111" : "no card"));
  }

  private static byte[] spans(Random r) {
    ScopeSpans.Builder ss =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.http"));
    byte[] trace = new byte[16];
    r.nextBytes(trace);
    for (int i = 0; i < 100; i++) {
      byte[] id = new byte[8];
      r.nextBytes(id);
      ss.addSpans(
          Span.newBuilder()
              .setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
              .setSpanId(com.google.protobuf.ByteString.copyFrom(id))
              .setName(r.nextInt(20) == 0 ? "GET /health" : "GET /api/orders/{id}")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setEndTimeUnixNano(1_700_000_000_001_000_000L + i)
              .addAllAttributes(attributes(r)));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(r)).addScopeSpans(ss))
        .build()
        .toByteArray();
  }

  private static byte[] metrics(Random r) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (int m = 0; m < 10; m++) {
      Sum.Builder sum =
          Sum.newBuilder()
              .setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      for (int p = 0; p < 10; p++) {
        sum.addDataPoints(
            NumberDataPoint.newBuilder()
                .setTimeUnixNano(1_700_000_000_000_000_000L)
                .setAsInt(r.nextInt(1000))
                .addAllAttributes(attributes(r).subList(0, 6)));
      }
      sm.addMetrics(
          Metric.newBuilder()
              .setName(m == 0 ? "process.runtime.jvm.gc.count" : "http.server.requests." + m)
              .setSum(sum));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource(r)).addScopeMetrics(sm))
        .build()
        .toByteArray();
  }

  private static byte[] logs(Random r) {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    for (int i = 0; i < 100; i++) {
      sl.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setSeverityNumber(
                  r.nextInt(10) == 0
                      ? SeverityNumber.SEVERITY_NUMBER_DEBUG
                      : SeverityNumber.SEVERITY_NUMBER_INFO)
              .setBody(
                  AnyValue.newBuilder()
                      .setStringValue(
                          r.nextInt(50) == 0
                              ? "charged card 4111111111111111"
                              : "order " + r.nextInt(100000) + " placed"))
              .addAllAttributes(attributes(r)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(r)).addScopeLogs(sl))
        .build()
        .toByteArray();
  }
}
