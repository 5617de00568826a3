package io.otelstream.perf;

import io.otelstream.schemas.Signal;
import io.otelstream.sinks.file.FileSinkTask;
import io.otelstream.sinks.loki.LokiSinkTask;
import io.otelstream.sinks.mimir.MimirSinkTask;
import io.otelstream.sinks.tempo.TempoSinkTask;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    AckingReceiver receiver = new AckingReceiver();
    try {
      run(
          "file (traces)",
          new FileSinkTask(),
          Map.of(
              "otlp.signal",
              Signal.TRACES.key(),
              "file.directory",
              Files.createTempDirectory("sinkbench").toString(),
              "file.max.bytes",
              Long.toString(1L << 30)),
          records,
          SinkPayloads::traces);
      run(
          "tempo (OTLP/HTTP)",
          new TempoSinkTask(),
          Map.of(
              "otlp.signal",
              Signal.TRACES.key(),
              "tempo.protocol",
              "http",
              "backend.compression",
              "none",
              "backend.url",
              receiver.url("/v1/traces")),
          records,
          SinkPayloads::traces);
      run(
          "mimir (remote write)",
          new MimirSinkTask(),
          Map.of("otlp.signal", Signal.METRICS.key(), "backend.url", receiver.url("/api/v1/push")),
          records,
          SinkPayloads::metrics);
      run(
          "loki (push)",
          new LokiSinkTask(),
          Map.of(
              "otlp.signal", Signal.LOGS.key(), "backend.url", receiver.url("/loki/api/v1/push")),
          records,
          SinkPayloads::logs);
    } finally {
      receiver.close();
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
}
