package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.otelstream.config.ConfigLoader;
import io.otelstream.kafka.KafkaCluster;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import io.otelstream.topics.TopicReconciler;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/**
 * A three-broker cluster (replication 3, min.insync.replicas 2) under steady edge load: with one
 * broker stopped the edge keeps acknowledging; with two stopped it answers 503 and acknowledges
 * nothing (what is not on two replicas is not acknowledged); with both back it acknowledges again,
 * and every acknowledged request is in otlp-traces.
 */
class BrokerFailoverIT {
  @RegisterExtension static KafkaCluster kafka = new KafkaCluster();

  private static final int CLIENTS = 4;

  @Test
  void acknowledgesOnlyWhatTwoReplicasHaveAndLosesNothing() throws Exception {
    String yaml =
        "grpc: {port: 0}\nhttp: {port: 0}\nadmin: {port: 0}\nevent_loops: 2\n"
            + "limits: {request_timeout: 3s, retry_after: 1s}\n"
            + "kafka: {bootstrap.servers: \""
            + kafka.bootstrapServers()
            + "\"}\n"
            + "topics: {prefix: fo., replication_factor: 3, min_insync_replicas: 2}\n";
    EdgeConfig config = new ConfigLoader(Map.of()).parse(yaml, EdgeConfig.class, "edge.yaml");
    TopicCatalog topics = new TopicCatalog(config.topics());
    try (Admin admin = kafka.admin()) {
      new TopicReconciler(admin, topics).apply(false);
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger unavailable = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    try (EdgeServer edge = EdgeServer.start(config)) {
      String url = "http://localhost:" + edge.httpPort() + "/v1/traces";
      for (int c = 0; c < CLIENTS; c++) {
        Thread t =
            new Thread(
                () -> {
                  while (running.get()) {
                    ByteString id = Otlp.randomTraceId();
                    try {
                      HttpResponse<byte[]> r =
                          Otlp.HTTP.send(
                              HttpRequest.newBuilder(URI.create(url))
                                  .timeout(Duration.ofSeconds(20))
                                  .header("Content-Type", "application/x-protobuf")
                                  .POST(
                                      HttpRequest.BodyPublishers.ofByteArray(
                                          Otlp.traces(id).toByteArray()))
                                  .build(),
                              HttpResponse.BodyHandlers.ofByteArray());
                      if (r.statusCode() == 200) {
                        acknowledged.add(RecordKeys.traceKeyString(id));
                        ok.incrementAndGet();
                      } else if (r.statusCode() == 503) {
                        unavailable.incrementAndGet();
                        Thread.sleep(200);
                      } else {
                        other.incrementAndGet();
                      }
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception e) {
                      other.incrementAndGet();
                    }
                  }
                });
        t.start();
        clients.add(t);
      }
      awaitMore(ok, 100);

      kafka.stopBroker(0);
      awaitMore(ok, 100); // two replicas in sync: still acknowledged

      kafka.stopBroker(1);
      awaitMore(unavailable, 10);
      // Once the in-flight requests of the moment have been answered, nothing is acknowledged.
      Thread.sleep(4000);
      int okWithOneBroker = ok.get();
      awaitMore(unavailable, 10);
      assertThat(ok.get())
          .as("acknowledged with one broker of three (min.insync.replicas 2)")
          .isEqualTo(okWithOneBroker);

      kafka.startBroker(0);
      kafka.startBroker(1);
      kafka.awaitBrokers(3);
      awaitMore(ok, 100);
      running.set(false);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
    } finally {
      running.set(false);
    }
    assertThat(other.get()).as("answers other than 200 and 503").isZero();
    Set<String> stored = keys(topics.name(Topic.TRACES));
    assertThat(stored).as("acknowledged, then lost").containsAll(acknowledged);
    System.out.printf(
        "BrokerFailoverIT: %d acknowledged (all stored), %d answered 503%n",
        acknowledged.size(), unavailable.get());
  }

  private static void awaitMore(AtomicInteger counter, int more) {
    int target = counter.get() + more;
    TestEdge.sleepUntil(() -> counter.get() >= target, 120);
  }

  private static Set<String> keys(String topic) {
    Set<String> out = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topic)) {
      out.add(new String(r.key(), StandardCharsets.US_ASCII));
    }
    return out;
  }
}
