package io.otelstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.AvroState;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollback: this release restores a decision a newer release wrote with a newer state schema (one
 * more field, with a default). When the newer release published its schema (as every release does
 * at start), this one reads the decision and a late span follows it; when nobody did, this one
 * refuses once and clearly: it stops processing, stays live (an orchestrator does not restart it
 * into the same failure) and not ready, says why on /health/ready, and no stream thread is
 * replaced.
 */
class RollbackIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir Path dir;

  private static final String POLICIES =
      """
      decision_wait: 1s
      policies:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      """;

  @Test
  void stateANewerReleaseWroteIsReadWithTheSchemaItPublished() throws Exception {
    try (StreamsApp app = restartOnNewerState("rollback-read", true)) {
      int port = app.adminPort();
      TraceLoad.await(
          () ->
              StreamsKit.metric(port, "otelstream_streams_late_spans_total{outcome=\"dropped\"")
                  >= 1,
          60);
      assertThat(get(port, "/health/live")).contains("\"threadFailures\":0");
      // Running (a group's follow-up rebalance may still pass through REBALANCING).
      TraceLoad.await(() -> app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING, 60);
      assertThat(Outcome.decisions(kafka, "rollback-read").values())
          .as("the trace keeps its one decision")
          .containsOnly(1);
    }
  }

  @Test
  void stateNobodyPublishedASchemaForIsRefusedOnceWithoutARestartLoop() throws Exception {
    try (StreamsApp app = restartOnNewerState("rollback-refuse", false)) {
      int port = app.adminPort();
      TraceLoad.await(() -> get(port, "/health/ready").contains("stateRefused"), 60);
      assertThat(get(port, "/health/ready"))
          .contains("TraceDecision state written by schema version 3")
          .contains("Roll forward");
      assertThat(status(port, "/health/live")).as("live: a restart would not help").isEqualTo(200);
      assertThat(status(port, "/health/ready")).isEqualTo(503);
      assertThat(StreamsKit.metric(port, "otelstream_streams_state_refused")).isEqualTo(1);
      assertThat(get(port, "/health/live"))
          .as("no stream thread replaced")
          .contains("\"threadFailures\":0");
    }
  }

  /**
   * Runs the app until a trace is decided and dropped, rewrites that decision as a newer release
   * would (schema version 3, published or not), and starts the app again with a late span of the
   * trace on its way.
   */
  private StreamsApp restartOnNewerState(String appId, boolean publish) throws Exception {
    StreamsAppConfig config =
        StreamsKit.config(
            StreamsKit.yaml(
                kafka,
                appId,
                dir.resolve(appId),
                0,
                "{prefix: " + appId + "., replication_factor: 1, min_insync_replicas: 1}",
                POLICIES));
    TopicCatalog topics = StreamsKit.applyTopics(kafka, config);
    String input = topics.name(Topic.TRACES);
    TraceLoad.Trace trace = TraceLoad.traces(1, 0, 2, 5).get(0);
    try (StreamsApp first = StreamsApp.start(config)) {
      TraceLoad.produce(
          kafka.bootstrapServers(),
          input,
          List.of(new TraceLoad.Trace(trace.id(), false, 1)),
          System.currentTimeMillis());
      TraceLoad.await(
          () ->
              StreamsKit.metric(first.adminPort(), "otelstream_streams_traces_decided_total") >= 1,
          60);
      TraceLoad.awaitSlowly(() -> !Outcome.decisions(kafka, appId).isEmpty(), 30);
    }
    String changelog = appId + "-ts-decisions-changelog";
    List<ConsumerRecord<byte[], byte[]>> batches = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(changelog)) {
      if (r.value() != null && r.key()[0] == 'B') {
        batches.add(r);
      }
    }
    assertThat(batches).as("the decision's batch in the changelog").hasSize(1);
    ConsumerRecord<byte[], byte[]> batch = batches.get(0);
    @SuppressWarnings("unchecked")
    List<GenericRecord> entries =
        (List<GenericRecord>) AvroState.TRACE_DECISION_BATCH.decode(batch.value()).get("decisions");
    assertThat(entries).hasSize(1);
    GenericRecord entry = entries.get(0);
    GenericRecord decision = AvroState.TRACE_DECISION.newRecord();
    for (Schema.Field f : decision.getSchema().getFields()) {
      decision.put(f.name(), entry.get(f.name()));
    }
    // The decision as one record of its slice (the key a late span's extension has), written by
    // a newer release; its batch gone.
    byte[] single =
        java.nio.ByteBuffer.allocate(25)
            .put((byte) 'C')
            .put(batch.key(), 1, 8)
            .put(((GenericData.Fixed) entry.get("traceId")).bytes())
            .array();
    Schema v3 = newerSchema();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(changelog, batch.partition(), batch.key(), null)).get();
      p.send(
              new ProducerRecord<>(
                  changelog,
                  batch.partition(),
                  single,
                  asVersion3(AvroState.TRACE_DECISION.encode(decision), v3)))
          .get();
    }
    if (publish) {
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        p.send(new ProducerRecord<>(appId + "-state-schemas", "TraceDecision.v3", v3.toString()))
            .get();
      }
    }
    try (var files = java.nio.file.Files.walk(dir.resolve(appId))) { // a full restore
      files
          .sorted(java.util.Comparator.reverseOrder())
          .map(Path::toFile)
          .forEach(java.io.File::delete);
    }
    StreamsApp second = StreamsApp.start(config);
    TraceLoad.produce(
        kafka.bootstrapServers(), input, List.of(trace), System.currentTimeMillis()); // late
    return second;
  }

  /** This release's TraceDecision schema plus one field with a default: a newer release's. */
  private static Schema newerSchema() {
    Schema current = AvroState.TRACE_DECISION.schema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : current.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(
        new Schema.Field(
            "reason", Schema.create(Schema.Type.STRING), "added by a newer release", ""));
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  private static byte[] asVersion3(byte[] value, Schema v3) throws Exception {
    GenericRecord old = AvroState.TRACE_DECISION.decode(value);
    GenericRecord r = new GenericData.Record(v3);
    for (Schema.Field f : old.getSchema().getFields()) {
      r.put(f.name(), old.get(f.name()));
    }
    r.put("reason", "written by a newer release");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(3);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v3).write(r, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static HttpResponse<String> send(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String get(int port, String path) {
    try {
      return send(port, path).body();
    } catch (Exception e) {
      return "";
    }
  }

  private static int status(int port, String path) throws Exception {
    return send(port, path).statusCode();
  }
}
