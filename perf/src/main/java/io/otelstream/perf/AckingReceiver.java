package io.otelstream.perf;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A local HTTP backend for the sink benchmarks: reads every request body and answers 204. */
final class AckingReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private final java.util.concurrent.atomic.AtomicLong bytes =
      new java.util.concurrent.atomic.AtomicLong();

  AckingReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/",
        ex -> {
          bytes.addAndGet(ex.getRequestBody().readAllBytes().length);
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.setExecutor(threads);
    server.start();
  }

  /** Request body bytes received so far, as sent (compressed when the sink compresses). */
  long bytesReceived() {
    return bytes.get();
  }

  String url(String path) {
    return "http://localhost:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
