package io.otelstream.perf;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import io.otelstream.sinks.file.FileSinkTask;
import io.otelstream.sinks.loki.LokiSinkTask;
import io.otelstream.sinks.mimir.MimirSinkTask;
import io.otelstream.sinks.tempo.TempoSinkTask;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Throughput of each sink task against a local receiver that reads and acknowledges every request.
 * The tasks are driven directly (no Connect worker, no Kafka), so the numbers are the connector's
 * decode, translation, encoding and HTTP cost. Usage: SinkBenchmark [records]
 */
public final class SinkBenchmark {
  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    AtomicLong received = new AtomicLong();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    receiver.createContext(
        "/",
        ex -> {
          received.addAndGet(ex.getRequestBody().readAllBytes().length);
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    receiver.start();
    String base = "http://localhost:" + receiver.getAddress().getPort();
    SplittableRandom random = new SplittableRandom(5);
    try {
      run(
          "file (traces)",
          new FileSinkTask(),
          Map.of(
              "otlp.signal",
              "traces",
              "file.directory",
              Files.createTempDirectory("sinkbench").toString(),
              "file.max.bytes",
              Long.toString(1L << 30)),
          records,
          i -> TraceFill.trace(ByteBuffer.allocate(16).putLong(1).putLong(i).array(), 10, random));
      run(
          "tempo (OTLP/HTTP)",
          new TempoSinkTask(),
          Map.of("otlp.signal", "traces", "backend.url", base + "/v1/traces"),
          records,
          i -> TraceFill.trace(ByteBuffer.allocate(16).putLong(2).putLong(i).array(), 10, random));
      run(
          "mimir (remote write)",
          new MimirSinkTask(),
          Map.of("otlp.signal", "metrics", "backend.url", base + "/api/v1/push"),
          records,
          i -> metrics(i));
      run(
          "loki (push)",
          new LokiSinkTask(),
          Map.of("otlp.signal", "logs", "backend.url", base + "/loki/api/v1/push"),
          records,
          i -> logs(i));
    } finally {
      receiver.stop(0);
      System.exit(0);
    }
  }

  private static void run(
      String name,
      SinkTask task,
      Map<String, String> props,
      int records,
      Function<Integer, byte[]> value) {
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      values.add(value.apply(i));
    }
    Map<String, String> config = new HashMap<>(props);
    config.put("batch.max.records", "500");
    task.start(config);
    long bytes = 0;
    long start = System.nanoTime();
    List<SinkRecord> batch = new ArrayList<>(500);
    for (int i = 0; i < records; i++) {
      byte[] v = values.get(i % values.size());
      bytes += v.length;
      batch.add(new SinkRecord("bench", i % 12, null, null, null, v, i / 12));
      if (batch.size() == 500) {
        task.put(batch);
        batch = new ArrayList<>(500);
      }
    }
    task.put(batch);
    task.preCommit(Map.of());
    double secs = (System.nanoTime() - start) / 1e9;
    task.stop();
    System.out.printf(
        "%-22s %8.0f records/s  %6.1f MB/s  (%d records of ~%d bytes in %.1fs)%n",
        name, records / secs, bytes / secs / 1e6, records, bytes / records, secs);
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static byte[] metrics(int i) {
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
                              .addAttributes(kv("http.route", "/api/" + (i % 50))))));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", "bench"))
                        .addAttributes(kv("host.name", "h" + (i % 10))))
                .addScopeMetrics(scope))
        .build()
        .toByteArray();
  }

  private static byte[] logs(int i) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int l = 0; l < 10; l++) {
      scope.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1_700_000_000_000_000_000L + l)
              .setSeverityNumberValue(9)
              .setBody(
                  AnyValue.newBuilder().setStringValue("order " + i + " line " + l + " processed"))
              .addAttributes(kv("order.id", "o-" + i)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", "bench"))
                        .addAttributes(kv("deployment.environment", "prod")))
                .addScopeLogs(scope))
        .build()
        .toByteArray();
  }
}
