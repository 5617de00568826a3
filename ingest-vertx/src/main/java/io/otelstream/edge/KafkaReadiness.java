package io.otelstream.edge;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Startup checks (topics exist, producer metadata warm, record size limit) and the periodic check
 * behind /health/ready.
 */
final class KafkaReadiness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaReadiness.class);

  /** Batch header, record framing, a 32-byte key and the tenant header fit in this. */
  private static final int RECORD_OVERHEAD = 512;

  private final Admin admin;
  private final List<String> topics;
  private final String bootstrap;
  private final EdgeState state;
  private long timerId = -1;
  private io.vertx.core.Vertx vertx;

  KafkaReadiness(Map<String, Object> clientProps, Collection<String> topics, EdgeState state) {
    Map<String, Object> adminProps =
        clientProps.entrySet().stream()
            .filter(
                e ->
                    e.getKey().equals("bootstrap.servers")
                        || e.getKey().startsWith("security.")
                        || e.getKey().startsWith("sasl.")
                        || e.getKey().startsWith("ssl.")
                        || e.getKey().equals("client.dns.lookup"))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    adminProps.put("client.id", "otelstream-edge-admin");
    this.admin = Admin.create(adminProps);
    this.topics = List.copyOf(topics);
    this.bootstrap = String.valueOf(clientProps.get("bootstrap.servers"));
    this.state = state;
  }

  /**
   * Waits until the raw topics exist and the producer knows their partitions (so sends never wait
   * for metadata), and returns the largest record value the edge may write.
   */
  int awaitStartup(Producer<byte[], byte[]> producer, Duration timeout, int maxRequestSize) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> missing = Set.copyOf(topics);
    while (true) {
      try {
        Set<String> present = admin.listTopics().names().get(5, TimeUnit.SECONDS);
        missing = topics.stream().filter(t -> !present.contains(t)).collect(Collectors.toSet());
        if (missing.isEmpty()) {
          for (String t : topics) {
            producer.partitionsFor(t); // throws until the producer's metadata has the topic
          }
          break;
        }
      } catch (Exception e) {
        LOG.debug("Kafka not ready yet: {}", e.toString());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            missing.isEmpty()
                ? "Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + "s"
                : "topics "
                    + missing
                    + " do not exist; create them with: otelstream topics apply --bootstrap-server ...");
      }
      sleep(100);
    }
    state.kafkaReady(true);
    return Math.min(maxMessageBytes(), maxRequestSize) - RECORD_OVERHEAD;
  }

  private int maxMessageBytes() {
    try {
      List<ConfigResource> resources =
          topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      return configs.values().stream()
          .mapToInt(c -> Integer.parseInt(c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()))
          .min()
          .orElseThrow();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read max.message.bytes of " + topics + ": " + e, e);
    }
  }

  void startPolling(io.vertx.core.Vertx vertx) {
    this.vertx = vertx;
    timerId = vertx.setPeriodic(5000, id -> vertx.executeBlocking(this::check, false));
  }

  private boolean check() {
    boolean ok;
    try {
      ok =
          admin.describeTopics(topics).allTopicNames().get(4, TimeUnit.SECONDS).size()
              == topics.size();
    } catch (Exception e) {
      ok = false;
    }
    state.kafkaReady(ok);
    return ok;
  }

  @Override
  public void close() {
    if (vertx != null && timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    admin.close(Duration.ofSeconds(5));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }
}
