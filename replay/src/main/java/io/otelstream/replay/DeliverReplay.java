package io.otelstream.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code otelstream replay deliver}: moves a sink connector back to a time through Kafka Connect's
 * REST offsets API (KIP-875): stop the connector, alter its offsets to the first record at or after
 * the time on every partition, resume it. Delivery is at least once, so the backend receives the
 * window again.
 */
public final class DeliverReplay {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STATE_WAIT = Duration.ofSeconds(60);

  /** One partition's move. */
  public record Move(String topic, int partition, Long current, long target, long end) {
    /** Records the connector delivers again (or for the first time) from the target on. */
    public long records() {
      return Math.max(0, end - target);
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String connect;
  private final String connector;

  public DeliverReplay(String connectUrl, String connector) {
    this.connect = connectUrl.replaceAll("/+$", "");
    this.connector = connector;
  }

  /** The moves that would put the connector back at {@code time}; changes nothing. */
  public List<Move> plan(Map<String, Object> kafka, Instant time, Instant now) {
    if (time.isAfter(now.plus(Duration.ofMinutes(1)))) {
      throw new ReplayException("--from " + time + " is in the future (now is " + now + ")");
    }
    JsonNode config = get("/connectors/" + connector + "/config", "the connector's configuration");
    String topicsConfig = config.path("topics").asText("");
    if (topicsConfig.isBlank()) {
      throw new ReplayException(
          "connector " + connector + " has no 'topics' setting (topics.regex is not supported)");
    }
    Map<TopicPartition, Long> current = currentOffsets();
    Map<String, Object> props = SampleReplay.adminProps(kafka);
    List<Move> moves = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : topicsConfig.split(",")) {
        topic = topic.trim();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new ReplayException(
              "topic " + topic + " of connector " + connector + " does not exist");
        }
        List<TopicPartition> tps = new ArrayList<>();
        infos.forEach(i -> tps.add(new TopicPartition(i.topic(), i.partition())));
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps);
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> oldestQuery = new HashMap<>();
        tps.forEach(tp -> oldestQuery.put(tp, 0L));
        Map<TopicPartition, OffsetAndTimestamp> oldest = consumer.offsetsForTimes(oldestQuery);
        for (TopicPartition tp : tps) {
          OffsetAndTimestamp first = oldest.get(tp);
          if (begin.get(tp) > 0 && first != null && time.toEpochMilli() < first.timestamp()) {
            throw new ReplayException(
                "--from "
                    + time
                    + " is before the retention of "
                    + tp
                    + ": its oldest record is from "
                    + Instant.ofEpochMilli(first.timestamp())
                    + "; use a later --from");
          }
          long target = at.get(tp) == null ? end.get(tp) : at.get(tp).offset();
          moves.add(new Move(tp.topic(), tp.partition(), current.get(tp), target, end.get(tp)));
        }
      }
    }
    moves.sort(java.util.Comparator.comparing(Move::topic).thenComparingInt(Move::partition));
    return moves;
  }

  /** Stops the connector, moves its offsets, resumes it; waits for it to run again. */
  public void apply(List<Move> moves, PrintStream out) {
    send("PUT", "/connectors/" + connector + "/stop", null, "stop the connector");
    awaitState("STOPPED");
    out.println("stopped " + connector);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode offsets = body.putArray("offsets");
    for (Move m : moves) {
      ObjectNode o = offsets.addObject();
      o.putObject("partition").put("kafka_topic", m.topic()).put("kafka_partition", m.partition());
      o.putObject("offset").put("kafka_offset", m.target());
    }
    try {
      send("PATCH", "/connectors/" + connector + "/offsets", body.toString(), "alter the offsets");
      out.println("moved the offsets of " + moves.size() + " partitions");
    } finally {
      send("PUT", "/connectors/" + connector + "/resume", null, "resume the connector");
      awaitState("RUNNING");
      out.println("resumed " + connector);
    }
  }

  public static String table(List<Move> moves) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                "%-32s %9s %12s %12s %12s%n",
                "topic", "partition", "current", "target", "records"));
    long total = 0;
    for (Move m : moves) {
      b.append(
          String.format(
              "%-32s %9d %12s %12d %,12d%n",
              m.topic(),
              m.partition(),
              m.current() == null ? "none" : Long.toString(m.current()),
              m.target(),
              m.records()));
      total += m.records();
    }
    b.append(String.format("%,d records to deliver again; delivery is at least once%n", total));
    return b.toString();
  }

  private Map<TopicPartition, Long> currentOffsets() {
    JsonNode node = get("/connectors/" + connector + "/offsets", "the connector's offsets");
    Map<TopicPartition, Long> out = new HashMap<>();
    for (JsonNode o : node.path("offsets")) {
      out.put(
          new TopicPartition(
              o.path("partition").path("kafka_topic").asText(),
              o.path("partition").path("kafka_partition").asInt()),
          o.path("offset").path("kafka_offset").asLong());
    }
    return out;
  }

  private void awaitState(String state) {
    long deadline = System.nanoTime() + STATE_WAIT.toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      seen =
          get("/connectors/" + connector + "/status", "the connector's status")
              .path("connector")
              .path("state")
              .asText();
      if (seen.equals(state)) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        "connector "
            + connector
            + " is "
            + seen
            + ", not "
            + state
            + ", after "
            + STATE_WAIT.toSeconds()
            + " s");
  }

  private JsonNode get(String path, String what) {
    return send("GET", path, null, "read " + what);
  }

  private JsonNode send(String method, String path, String body, String what) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(connect + path)).timeout(Duration.ofSeconds(30));
    req.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    req.header("Content-Type", "application/json").header("Accept", "application/json");
    String authorization = ConnectAuthorization.header();
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    HttpResponse<String> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ReplayException(
          "cannot reach Kafka Connect at " + connect + " (" + e + "); check --connect");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (r.statusCode() == 404) {
      throw new ReplayException(
          "Kafka Connect at "
              + connect
              + " has no connector "
              + connector
              + " (404 on "
              + path
              + "); check --connector");
    }
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          "Kafka Connect could not " + what + ": HTTP " + r.statusCode() + " " + r.body());
    }
    try {
      return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Kafka Connect answered " + what + " with invalid JSON: " + r.body(), e);
    }
  }
}
