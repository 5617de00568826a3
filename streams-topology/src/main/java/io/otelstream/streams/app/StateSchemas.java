package io.otelstream.streams.app;

import io.otelstream.schemas.AvroState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state schemas of every release that ran this app, in a compacted topic {@code
 * <application.id>-state-schemas} (one record per {@code NAME.vN}). Each release publishes its own
 * at start; a release older than the state it restores (a rollback) reads the newer writer schemas
 * from here, so it reads that state instead of failing on it.
 */
final class StateSchemas {
  private static final Logger LOG = LoggerFactory.getLogger(StateSchemas.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> clients = new HashMap<>();
  private final String topic;
  private final Map<String, String> known = new ConcurrentHashMap<>();

  StateSchemas(Map<String, ?> clientConfigs, String applicationId) {
    clientConfigs.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(k)) {
            clients.put(k, v);
          }
        });
    this.topic = applicationId + "-state-schemas";
  }

  String topic() {
    return topic;
  }

  /** Creates the topic if need be and writes this release's schemas to it. */
  void publish(short replicationFactor) {
    try (Admin admin = Admin.create(clients)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, replicationFactor)
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create " + topic + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Map<String, Object> p = new HashMap<>(clients);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      AvroState.schemas()
          .forEach((key, json) -> producer.send(new ProducerRecord<>(topic, key, json)));
      producer.flush();
    }
  }

  /** The writer schema published as {@code key} (NAME.vN), or null; reads the topic on a miss. */
  String lookup(String key) {
    String json = known.get(key);
    if (json == null) {
      read();
      json = known.get(key);
      LOG.info("state schema {} {} in {}", key, json == null ? "not found" : "found", topic);
    }
    return json;
  }

  private synchronized void read() {
    Map<String, Object> c = new HashMap<>(clients);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(tp, TIMEOUT) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() != null && r.value() != null) {
            known.put(r.key(), r.value());
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read the state schemas in {}: {}", topic, e.toString());
    }
  }
}
