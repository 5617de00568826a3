package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.config.ConfigLoader;
import io.otelstream.kafka.FreePorts;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge in a 256 MiB heap (exiting on OutOfMemoryError) with its default limits, under slow
 * uploads of large bodies (HTTP/1.1, a few hundred KiB at a time), concurrent gzip bodies that
 * inflate to tens of MiB, a client that starts a body and never finishes it, and small exports all
 * the while: it never runs out of memory, answers small exports 200 or 503 (503 while its in-flight
 * budget is full), cuts the stalled upload off, and every trace of every acknowledged request is in
 * otlp-traces.
 */
class EdgeMemoryIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final int SLOW_UPLOADERS = 10;
  private static final int GZIP_UPLOADERS = 3;
  private static final long LOAD_MS = 20_000;

  @Test
  void slowAndLargeUploadsNeverExhaustASmallHeap() throws Exception {
    String yaml =
        "kafka: {bootstrap.servers: \""
            + kafka.bootstrapServers()
            + "\"}\n"
            + "topics: {prefix: mem., replication_factor: 1, min_insync_replicas: 1}\n";
    EdgeConfig base = new ConfigLoader(Map.of()).parse(yaml, EdgeConfig.class, "edge.yaml");
    TopicCatalog topics = new TopicCatalog(base.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, topics).apply(false);
    }
    int http = FreePorts.next();
    int adminPort = FreePorts.next();
    Path config = dir.resolve("edge.yaml");
    Files.writeString(
        config,
        yaml
            + "grpc: {port: "
            + FreePorts.next()
            + "}\nhttp: {port: "
            + http
            + "}\nadmin: {port: "
            + adminPort
            + "}\nlimits: {body_read_timeout: 5s}\n");
    Path log = dir.resolve("edge.log");
    Process edge = EdgeProcess.start(config, log, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Map<Integer, Integer> smallAnswers = new ConcurrentHashMap<>();
    Map<String, Integer> largeAnswers = new ConcurrentHashMap<>();
    try {
      TestEdge.sleepUntil(() -> EdgeProcess.ready(adminPort), 60);
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < SLOW_UPLOADERS; i++) {
        clients.add(client(running, "slow", () -> slowUpload(http, acknowledged, largeAnswers)));
      }
      for (int i = 0; i < GZIP_UPLOADERS; i++) {
        clients.add(client(running, "gzip", () -> gzipUpload(http, acknowledged, largeAnswers)));
      }
      clients.add(client(running, "small", () -> smallExport(http, acknowledged, smallAnswers)));
      Thread stalled = client(running, "stalled", () -> stalledUpload(http, largeAnswers));
      clients.add(stalled);
      Thread.sleep(LOAD_MS); // the load runs for a while; nothing to await but its end
      running.set(false);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertThat(edge.isAlive()).as("the edge is alive (it exits on OutOfMemoryError)").isTrue();
      assertThat(smallAnswers.keySet()).as("small exports: 200 or 503 only").isSubsetOf(200, 503);
      assertThat(smallAnswers.getOrDefault(200, 0)).as("small exports accepted").isPositive();
      assertThat(largeAnswers.keySet())
          .as("large uploads: 200, 503 or the stalled one's 408 only")
          .isSubsetOf("200", "503", "stalled:408", "stalled:503");
      assertThat(largeAnswers.getOrDefault("200", 0)).as("large uploads accepted").isPositive();
      assertThat(largeAnswers.getOrDefault("503", 0))
          .as("uploads answered 503 while the in-flight budget was full")
          .isPositive();
      assertThat(largeAnswers.getOrDefault("stalled:408", 0))
          .as("the upload that never finished was cut off: %s, cut: %s", largeAnswers, CUT)
          .isPositive();
      assertThat(
              Otlp.post(
                      "http://localhost:" + http + "/v1/traces",
                      "application/x-protobuf",
                      Otlp.traces(Otlp.randomTraceId()).toByteArray())
                  .statusCode())
          .as("answered again once the load is over")
          .isEqualTo(200);
    } finally {
      edge.destroy();
      edge.waitFor(30, TimeUnit.SECONDS);
      edge.destroyForcibly();
      Files.copy(
          log,
          Path.of("target", "EdgeMemoryIT-edge.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    Set<String> stored = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topics.name(Topic.TRACES))) {
      stored.add(new String(r.key(), StandardCharsets.US_ASCII));
    }
    assertThat(stored).as("every trace of every acknowledged request").containsAll(acknowledged);
    System.out.printf(
        "EdgeMemoryIT: small %s, large %s, %d traces acknowledged and stored%n",
        smallAnswers, largeAnswers, acknowledged.size());
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Connections the edge closed without an answer, by client and exception. */
  private static final Map<String, Integer> CUT = new ConcurrentHashMap<>();

  private static Thread client(AtomicBoolean running, String name, Step step) {
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  step.run();
                } catch (Exception e) {
                  // a connection the edge closed: that request was never acknowledged
                  CUT.merge(name + ":" + e, 1, Integer::sum);
                }
              }
            });
    t.start();
    return t;
  }

  /** An export of {@code traces} traces, {@code spans} spans each, with a large attribute. */
  private static ExportTraceServiceRequest export(ByteString[] ids, int spans, String filler) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long id = 1;
    for (ByteString t : ids) {
      for (int s = 0; s < spans; s++) {
        scope.addSpans(
            Span.newBuilder()
                .setTraceId(t)
                .setSpanId(Otlp.spanId(id++))
                .setName("big")
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("filler")
                        .setValue(AnyValue.newBuilder().setStringValue(filler))));
      }
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private static ByteString[] ids(int n) {
    ByteString[] ids = new ByteString[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Otlp.randomTraceId();
    }
    return ids;
  }

  private static final String FILLER = "x".repeat(4096);

  /** About 8 MiB of protobuf, written 256 KiB every 50 ms over HTTP/1.1. */
  private static void slowUpload(int port, Set<String> acknowledged, Map<String, Integer> answers)
      throws Exception {
    ByteString[] ids = ids(40);
    byte[] body = export(ids, 50, FILLER).toByteArray();
    try (Socket s = new Socket("localhost", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (int at = 0; at < body.length; at += 256 << 10) {
        out.write(body, at, Math.min(256 << 10, body.length - at));
        out.flush();
        Thread.sleep(50);
      }
      int status = status(s.getInputStream());
      answers.merge(Integer.toString(status), 1, Integer::sum);
      if (status == 200) {
        for (ByteString id : ids) {
          acknowledged.add(RecordKeys.traceKeyString(id));
        }
      }
    }
  }

  /** A gzip body (a few hundred KiB) that inflates to about 14 MiB. */
  private static void gzipUpload(int port, Set<String> acknowledged, Map<String, Integer> answers)
      throws Exception {
    ByteString[] ids = ids(70);
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      export(ids, 50, FILLER).writeTo(gz);
    }
    HttpResponse<byte[]> r =
        Otlp.post(
            "http://localhost:" + port + "/v1/traces",
            "application/x-protobuf",
            zipped.toByteArray(),
            "Content-Encoding",
            "gzip");
    answers.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
    if (r.statusCode() == 200) {
      for (ByteString id : ids) {
        acknowledged.add(RecordKeys.traceKeyString(id));
      }
    }
  }

  private static void smallExport(int port, Set<String> acknowledged, Map<Integer, Integer> answers)
      throws Exception {
    ByteString id = Otlp.randomTraceId();
    HttpResponse<byte[]> r =
        Otlp.post(
            "http://localhost:" + port + "/v1/traces",
            "application/x-protobuf",
            Otlp.traces(id).toByteArray());
    answers.merge(r.statusCode(), 1, Integer::sum);
    if (r.statusCode() == 200) {
      acknowledged.add(RecordKeys.traceKeyString(id));
    }
    Thread.sleep(20);
  }

  /** Announces 4 MiB, sends 1 KiB, then waits for the edge's answer. */
  private static void stalledUpload(int port, Map<String, Integer> answers) throws Exception {
    try (Socket s = new Socket("localhost", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: "
                  + (4 << 20)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1024]);
      out.flush();
      int status = status(s.getInputStream());
      answers.merge("stalled:" + status, 1, Integer::sum);
    }
  }

  /** The status code of an HTTP/1.1 response. */
  private static int status(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    String[] parts = line.toString().split(" ");
    if (parts.length < 2) {
      throw new java.io.IOException("no response: " + line);
    }
    return Integer.parseInt(parts[1]);
  }
}
