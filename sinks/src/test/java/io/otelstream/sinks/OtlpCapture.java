package io.otelstream.sinks;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local OTLP/HTTP endpoint that keeps every request body a real SDK exporter sends (protobuf, no
 * compression), so a test can feed the SDK's exact bytes to otelstream and to a Collector alike.
 */
public final class OtlpCapture implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, List<byte[]>> bodies = new ConcurrentHashMap<>();

  public OtlpCapture() throws java.io.IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String signal : List.of("traces", "metrics", "logs")) {
      String path = "/v1/" + signal;
      bodies.put(path, new CopyOnWriteArrayList<>());
      server.createContext(
          path,
          ex -> {
            bodies.get(path).add(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
    }
    server.start();
  }

  /** The endpoint for a signal, e.g. {@code endpoint("traces")}. */
  public String endpoint(String signal) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/" + signal;
  }

  /** Every body received for a signal so far. */
  public List<byte[]> bodies(String signal) {
    return List.copyOf(bodies.get("/v1/" + signal));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
