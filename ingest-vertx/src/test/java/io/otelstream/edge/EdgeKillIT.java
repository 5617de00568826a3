package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.otelstream.config.ConfigLoader;
import io.otelstream.kafka.FreePorts;
import io.otelstream.kafka.KafkaCluster;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge killed with SIGKILL under load, three times, on three brokers: each request carries 20
 * traces, so its records go to partitions led by every broker. Before each kill one broker stops
 * (its partitions, unreplicated here, take nothing), so every request has records Kafka
 * acknowledged and records it cannot, when the kill lands. Every trace of every request the edge
 * acknowledged (200) is in otlp-traces once the broker is back: the edge answers only after every
 * record of a request is acknowledged (answering at the first acknowledgement fails this test).
 * Requests cut off by the kill get no answer, so their clients keep the data.
 */
class EdgeKillIT {
  @RegisterExtension static KafkaCluster kafka = new KafkaCluster();
  @TempDir Path dir;

  private static final int KILLS = 3;
  private static final int CLIENTS = 6;
  private static final int TRACES_PER_REQUEST = 20;

  @Test
  void everyAcknowledgedSpanIsInKafkaAfterEachKill() throws Exception {
    String yaml =
        "kafka: {bootstrap.servers: \""
            + kafka.bootstrapServers()
            + "\"}\n"
            + "topics: {prefix: kill., replication_factor: 1, min_insync_replicas: 1}\n";
    EdgeConfig base = new ConfigLoader(Map.of()).parse(yaml, EdgeConfig.class, "edge.yaml");
    TopicCatalog topics = new TopicCatalog(base.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, topics).apply(false);
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    int[] atKill = new int[KILLS];
    for (int round = 0; round < KILLS; round++) {
      int http = FreePorts.next();
      int adminPort = FreePorts.next();
      Path config = dir.resolve("edge-" + round + ".yaml");
      Files.writeString(
          config,
          yaml
              + "grpc: {port: "
              + FreePorts.next()
              + "}\nhttp: {port: "
              + http
              + "}\nadmin: {port: "
              + adminPort
              + "}\n");
      Process edge = EdgeProcess.start(config, dir.resolve("edge-" + round + ".log"), "-Xmx256m");
      try {
        TestEdge.sleepUntil(() -> EdgeProcess.ready(adminPort), 60);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          Thread t =
              new Thread(
                  () -> {
                    while (running.get()) {
                      ByteString[] ids = new ByteString[TRACES_PER_REQUEST];
                      for (int i = 0; i < ids.length; i++) {
                        ids[i] = Otlp.randomTraceId();
                      }
                      try {
                        HttpResponse<byte[]> r =
                            Otlp.post(
                                "http://localhost:" + http + "/v1/traces",
                                "application/x-protobuf",
                                Otlp.traces(ids).toByteArray());
                        if (r.statusCode() == 200) {
                          for (ByteString id : ids) {
                            acknowledged.add(RecordKeys.traceKeyString(id));
                          }
                          answered.incrementAndGet();
                        }
                      } catch (Exception e) {
                        return; // the edge is gone: this request was never acknowledged
                      }
                    }
                  });
          t.start();
          clients.add(t);
        }
        TestEdge.sleepUntil(() -> answered.get() >= 200, 60);
        atKill[round] = answered.get();
        int down = round % 3;
        kafka.stopBroker(down);
        Thread.sleep(1500); // requests under way with part of their records unacknowledgeable
        edge.destroyForcibly(); // SIGKILL on Linux
        edge.waitFor(30, TimeUnit.SECONDS);
        kafka.startBroker(down);
        kafka.awaitBrokers(3);
        running.set(false);
        for (Thread t : clients) {
          t.join(TimeUnit.SECONDS.toMillis(30));
        }
      } finally {
        edge.destroyForcibly();
      }
    }
    assertThat(java.util.Arrays.stream(atKill).min().orElse(0)).isGreaterThanOrEqualTo(200);
    Set<String> stored = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topics.name(Topic.TRACES))) {
      stored.add(new String(r.key(), StandardCharsets.US_ASCII));
    }
    assertThat(stored).as("acknowledged before a SIGKILL, then lost").containsAll(acknowledged);
    System.out.printf(
        "EdgeKillIT: %d kills, %d traces acknowledged (%d per request), all in Kafka (%d stored)%n",
        KILLS, acknowledged.size(), TRACES_PER_REQUEST, stored.size());
  }
}
