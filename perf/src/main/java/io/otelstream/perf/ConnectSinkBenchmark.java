package io.otelstream.perf;

import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.schemas.Signal;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput of each connector in a real Kafka Connect worker (distributed mode, in this JVM): a
 * topic is filled first, then the connector drains it into a local receiver that acknowledges every
 * request. Progress is read from the connector's records-sent-total metric; the rate is taken from
 * the first delivered batch to the last, so consumer-group startup is reported apart. Usage:
 * ConnectSinkBenchmark bootstrap-servers [records] [tasks]
 */
public final class ConnectSinkBenchmark {

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    EmbeddedConnect connect =
        EmbeddedConnect.start(bootstrap, "sink-bench-" + System.currentTimeMillis());
    try (AckingReceiver receiver = new AckingReceiver()) {
      ConnectSinkBenchmark bench = new ConnectSinkBenchmark(connect, bootstrap, receiver, records);
      Map<String, String> file = new LinkedHashMap<>();
      file.put("connector.class", "io.otelstream.sinks.file.FileSinkConnector");
      file.put("otlp.signal", Signal.TRACES.key());
      file.put("file.directory", Files.createTempDirectory("connect-sink-bench").toString());
      file.put("file.max.bytes", Long.toString(1L << 30));
      bench.run("file", file, 1, SinkPayloads::traces);
      bench.run("tempo-http", bench.tempo("none", "1"), tasks, SinkPayloads::traces);
      bench.run("tempo-gzip1", bench.tempo("gzip", "1"), tasks, SinkPayloads::traces);
      bench.run("tempo-gzip6", bench.tempo("gzip", "6"), tasks, SinkPayloads::traces);
      bench.run(
          "mimir",
          Map.of(
              "connector.class", "io.otelstream.sinks.mimir.MimirSinkConnector",
              "otlp.signal", Signal.METRICS.key(),
              "backend.url", receiver.url("/api/v1/push")),
          tasks,
          SinkPayloads::metrics);
      bench.run(
          "loki",
          Map.of(
              "connector.class", "io.otelstream.sinks.loki.LokiSinkConnector",
              "otlp.signal", Signal.LOGS.key(),
              "backend.url", receiver.url("/loki/api/v1/push")),
          tasks,
          SinkPayloads::logs);
    } finally {
      connect.close();
      System.exit(0);
    }
  }

  private final EmbeddedConnect connect;
  private final String bootstrap;
  private final AckingReceiver receiver;
  private final int records;

  private ConnectSinkBenchmark(
      EmbeddedConnect connect, String bootstrap, AckingReceiver receiver, int records) {
    this.connect = connect;
    this.bootstrap = bootstrap;
    this.receiver = receiver;
    this.records = records;
  }

  /** Tempo over OTLP/HTTP with the given compression and gzip level. */
  private Map<String, String> tempo(String compression, String level) {
    return Map.of(
        "connector.class",
        "io.otelstream.sinks.tempo.TempoSinkConnector",
        "otlp.signal",
        Signal.TRACES.key(),
        "tempo.protocol",
        "http",
        "backend.compression",
        compression,
        "backend.compression.level",
        level,
        "backend.url",
        receiver.url("/v1/traces"));
  }

  private void run(
      String name, Map<String, String> settings, int tasks, IntFunction<byte[]> payload)
      throws Exception {
    String topic = "sink-bench-" + name + "-" + System.currentTimeMillis();
    long bytes = fill(bootstrap, topic, records, payload);
    Map<String, String> config = new LinkedHashMap<>(settings);
    config.put("topics", topic);
    config.put("tasks.max", Integer.toString(tasks));
    config.put("batch.max.records", "500");
    long wireBefore = receiver.bytesReceived();
    long created = System.nanoTime();
    connect.putConnector(topic, config);
    long first = 0;
    double sent = 0;
    while (sent < records) {
      Thread.sleep(20);
      sent = sentRecords(topic);
      if (first == 0 && sent > 0) {
        first = System.nanoTime();
      }
      if (System.nanoTime() - created > 600e9) {
        throw new IllegalStateException(name + ": only " + sent + " records after 10 minutes");
      }
    }
    long done = System.nanoTime();
    double secs = (done - first) / 1e9;
    System.out.printf(
        "%-11s tasks=%d %8.0f records/s %6.1f MB/s  (%d records of ~%d bytes in %.1fs; startup"
            + " %.1fs; %.0f MB on the wire)%n",
        name,
        tasks,
        records / secs,
        bytes / secs / 1e6,
        records,
        bytes / records,
        secs,
        (first - created) / 1e9,
        (receiver.bytesReceived() - wireBefore) / 1e6);
  }

  /** Fills a 2-partition topic with {@code records} values; returns their total size. */
  private static long fill(String bootstrap, String topic, int records, IntFunction<byte[]> payload)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    byte[][] values = new byte[1000][];
    for (int i = 0; i < values.length; i++) {
      values[i] = payload.apply(i);
    }
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", bootstrap,
                "linger.ms", "20",
                "batch.size", "262144",
                "compression.type", "lz4"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < records; i++) {
        byte[] v = values[i % values.length];
        bytes += v.length;
        producer.send(new ProducerRecord<>(topic, Integer.toString(i).getBytes(), v));
      }
    }
    return bytes;
  }

  /** records-sent-total summed over the connector's tasks, from JMX. */
  private static double sentRecords(String connector) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double total = 0;
    for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:*"), null)) {
      if (connector.equals(name.getKeyProperty("connector"))) {
        try {
          Object v = server.getAttribute(name, "records-sent-total");
          if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
            total += n.doubleValue();
          }
        } catch (javax.management.AttributeNotFoundException e) {
          // another metric group of the same connector
        }
      }
    }
    return total;
  }
}
