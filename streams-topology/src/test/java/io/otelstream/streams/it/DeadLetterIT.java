package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A garbage record goes to otlp-deadletter with its origin and reason; processing continues. */
class DeadLetterIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  @Test
  void garbageIsDeadLetteredWithItsOriginAndTheAppKeepsGoing() throws Exception {
    StreamsAppConfig config =
        StreamsKit.config(
            StreamsKit.yaml(
                kafka,
                "dlq",
                dir,
                0,
                "{prefix: dlq., replication_factor: 1, min_insync_replicas: 1}",
                "decision_wait: 2s\npolicies: [{name: all, type: always_sample}]\n"));
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    byte[] garbage = "definitely not protobuf".getBytes(StandardCharsets.UTF_8);
    RecordMetadata where;
    try (KafkaProducer<byte[], byte[]> p = TraceLoad.producer(kafka.bootstrapServers())) {
      where =
          p.send(
                  new ProducerRecord<>(
                      topics.name(Topic.TRACES),
                      "0123456789abcdef0123456789abcdef".getBytes(),
                      garbage))
              .get();
    }
    List<TraceLoad.Trace> good = TraceLoad.traces(20, 0, 1, 3);
    TraceLoad.produce(
        kafka.bootstrapServers(), topics.name(Topic.TRACES), good, System.currentTimeMillis());
    try (StreamsApp app = StreamsApp.start(config)) {
      TraceLoad.await(() -> kafka.readAll(topics.name(Topic.DEADLETTER)).size() == 1, 60);
      TraceLoad.await(() -> kafka.readAll(topics.name(Topic.TRACES_SAMPLED)).size() == 20, 60);
      assertThat(StreamsKit.metric(app.adminPort(), "otelstream_streams_deadletter_records_total"))
          .isEqualTo(1);
    }
    ConsumerRecord<byte[], byte[]> dead = kafka.readAll(topics.name(Topic.DEADLETTER)).get(0);
    assertThat(dead.value()).isEqualTo(garbage);
    assertThat(header(dead, io.otelstream.schemas.Headers.DEADLETTER_TOPIC))
        .isEqualTo(topics.name(Topic.TRACES));
    assertThat(header(dead, io.otelstream.schemas.Headers.DEADLETTER_PARTITION))
        .isEqualTo(Integer.toString(where.partition()));
    assertThat(header(dead, io.otelstream.schemas.Headers.DEADLETTER_OFFSET))
        .isEqualTo(Long.toString(where.offset()));
    assertThat(header(dead, io.otelstream.schemas.Headers.DEADLETTER_REASON))
        .isEqualTo("undecodable");
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
