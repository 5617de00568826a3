package io.otelstream.sinks;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Tempo's OTLP/HTTP receiver: decodes the real ExportTraceServiceRequest protobuf,
 * rejects anything else with 400 as a Collector would, and can be told to answer a fixed status.
 */
public final class OtlpReceiver implements AutoCloseable {
  final HttpServer server;

  /** Span names received, with the X-Scope-OrgID they came with. */
  public final Map<String, String> tenantBySpan = new ConcurrentHashMap<>();

  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  volatile int forcedStatus;

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/v1/traces",
        ex -> {
          requests.incrementAndGet();
          byte[] body = ex.getRequestBody().readAllBytes();
          int status = forcedStatus;
          String answer = "";
          if (status == 0) {
            if (!"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
              status = 415;
              answer = "unsupported content type";
            } else {
              try {
                String tenant = String.valueOf(ex.getRequestHeaders().getFirst("X-Scope-OrgID"));
                ExportTraceServiceRequest.parseFrom(body)
                    .getResourceSpansList()
                    .forEach(
                        rs ->
                            rs.getScopeSpansList()
                                .forEach(
                                    ss ->
                                        ss.getSpansList()
                                            .forEach(s -> tenantBySpan.put(s.getName(), tenant))));
                authorizations.add(
                    String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                status = 200;
              } catch (IOException e) {
                status = 400;
                answer = "proto: cannot parse invalid wire-format data";
              }
            }
          } else {
            answer = "forced status " + status + " from the test receiver";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
          }
          ex.close();
        });
    server.start();
  }

  public String url() {
    return "http://localhost:" + server.getAddress().getPort() + "/v1/traces";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
