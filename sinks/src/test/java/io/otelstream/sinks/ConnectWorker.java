package io.otelstream.sinks;

import io.otelstream.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.awaitility.Awaitility;

/** A real Kafka Connect worker (distributed mode) in this JVM, REST on a random port. */
final class ConnectWorker implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final Connect<?> connect;
  final String rest;

  private final String authorization;

  ConnectWorker(KafkaBroker kafka, String group) throws Exception {
    this(kafka, group, Map.of(), null);
  }

  /**
   * @param extra more worker settings
   * @param authorization the Authorization header this harness sends, or null
   */
  ConnectWorker(KafkaBroker kafka, String group, Map<String, String> extra, String authorization)
      throws Exception {
    this.authorization = authorization;
    int port = io.otelstream.kafka.FreePorts.next();
    rest = "http://localhost:" + port;
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", kafka.bootstrapServers());
    worker.put("group.id", group);
    worker.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("config.storage.topic", group + "-configs");
    worker.put("offset.storage.topic", group + "-offsets");
    worker.put("status.storage.topic", group + "-status");
    worker.put("config.storage.replication.factor", "1");
    worker.put("offset.storage.replication.factor", "1");
    worker.put("status.storage.replication.factor", "1");
    worker.put("offset.flush.interval.ms", "500");
    worker.put("listeners", rest);
    worker.putAll(extra);
    connect = new ConnectDistributed().startConnect(worker);
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> get("/connector-plugins").statusCode() == 200);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rest + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String path, String json) throws Exception {
    return HTTP.send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws Exception {
    return HTTP.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
