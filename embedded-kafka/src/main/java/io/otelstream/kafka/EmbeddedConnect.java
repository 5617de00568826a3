package io.otelstream.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A real Kafka Connect worker (distributed mode) in this JVM, for dev mode, the sink benchmark and
 * tests: the one place its settings are written. Records pass as bytes (the otelstream sinks decode
 * OTLP themselves). Needs connect-runtime on the classpath, which this module declares optional:
 * only the modules that run a worker bring it.
 */
public final class EmbeddedConnect implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final Connect<?> connect;
  private final String rest;
  private final String authorization;

  private EmbeddedConnect(Map<String, String> worker, String rest, String authorization) {
    this.rest = rest;
    this.authorization = authorization;
    connect = new ConnectDistributed().startConnect(worker);
    awaitRest();
  }

  /** A worker in group {@code group} (its internal topics named after it), REST on a free port. */
  public static EmbeddedConnect start(String bootstrap, String group) {
    return start(bootstrap, group, 0, Map.of(), null);
  }

  /**
   * @param port the REST port, 0 for a free one
   * @param settings worker settings that replace or add to the defaults (replication factors of the
   *     internal topics 1, offsets flushed every 500 ms)
   * @param authorization the Authorization header this class's requests send, or null
   */
  public static EmbeddedConnect start(
      String bootstrap,
      String group,
      int port,
      Map<String, String> settings,
      String authorization) {
    String rest = "http://localhost:" + (port == 0 ? FreePorts.next() : port);
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrap);
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
    worker.putAll(settings);
    return new EmbeddedConnect(worker, rest, authorization);
  }

  public String restUrl() {
    return rest;
  }

  /** Creates or updates connector {@code name}; a refusal throws with Connect's answer. */
  public void putConnector(String name, Map<String, String> config) {
    HttpResponse<String> r = put("/connectors/" + name + "/config", json(config));
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("Connect refused " + name + ": " + r.body());
    }
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).build());
  }

  public HttpResponse<String> put(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  public HttpResponse<String> delete(String path) {
    return send(request(path).DELETE().build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rest + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling Connect", e);
    } catch (Exception e) {
      throw new IllegalStateException("Connect REST call failed: " + e.getMessage(), e);
    }
  }

  private static String json(Map<String, String> config) {
    try {
      return new ObjectMapper().writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void awaitRest() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(request("/connectors").build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Connect started", e);
      } catch (Exception e) {
        // not listening yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Connect started", e);
      }
    }
    close();
    throw new IllegalStateException("Kafka Connect did not answer on " + rest + " within 120s");
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
