package io.otelstream.sinks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A backend test double for the contract suite: decodes what it receives the way the real backend
 * would (the decoder throws for what the backend refuses with 400), records item names, tenants and
 * authorizations, and can be told to answer a fixed status.
 */
public final class Receiver implements ContractBackend {
  /** Decodes one request body into the names of the items in it. */
  public interface Decoder {
    List<String> decode(HttpExchange exchange, byte[] body) throws Exception;
  }

  private final HttpServer server;
  private final String path;
  public final List<String> items = new CopyOnWriteArrayList<>();
  final List<String> tenants = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** The Content-Encoding of each request ("null" for none). */
  final List<String> encodings = new CopyOnWriteArrayList<>();

  final AtomicInteger requests = new AtomicInteger();
  volatile int forcedStatus;
  volatile String refusedItem;
  private final java.util.concurrent.atomic.AtomicInteger throttle =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile long throttleSeconds;
  private final List<Long> throttledAt = new CopyOnWriteArrayList<>();
  private final List<Long> acceptedAt = new CopyOnWriteArrayList<>();

  public Receiver(String path, Decoder decoder) throws IOException {
    this(path, decoder, null);
  }

  /**
   * @param tls serves https with this context, requiring a client certificate; null for http
   */
  public Receiver(String path, Decoder decoder, SSLContext tls) throws IOException {
    this.path = path;
    if (tls == null) {
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = tls.getDefaultSSLParameters();
              p.setNeedClientAuth(true);
              params.setSSLParameters(p);
            }
          });
      server = https;
    }
    server.createContext(
        path,
        ex -> {
          requests.incrementAndGet();
          byte[] body = ex.getRequestBody().readAllBytes();
          String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
          encodings.add(String.valueOf(encoding));
          if ("gzip".equals(encoding)) { // as OTLP/HTTP receivers do
            body =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))
                    .readAllBytes();
          }
          if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throttledAt.add(System.nanoTime());
            ex.getResponseHeaders().set("Retry-After", Long.toString(throttleSeconds));
            ex.sendResponseHeaders(429, -1);
            ex.close();
            return;
          }
          int status = forcedStatus;
          String answer = status == 0 ? "" : "forced status " + status + " from the test receiver";
          if (status == 0) {
            try {
              List<String> names = decoder.decode(ex, body);
              if (refusedItem != null && names.contains(refusedItem)) {
                throw new IllegalArgumentException(
                    "item " + refusedItem + " refused by the test receiver");
              }
              for (String n : names) {
                items.add(n);
                tenants.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Scope-OrgID")));
              }
              authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
              acceptedAt.add(System.nanoTime());
              status = 204;
            } catch (Exception e) {
              status = 400;
              answer = String.valueOf(e.getMessage());
            }
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

  /** Tempo's OTLP/HTTP trace receiver: protobuf only; span names out. */
  public static Receiver otlpTraces() throws IOException {
    return new Receiver(
        "/v1/traces",
        (ex, body) -> {
          if (!"application/x-protobuf".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
            throw new IllegalArgumentException("unsupported content type");
          }
          List<String> names = new java.util.ArrayList<>();
          io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(body)
              .getResourceSpansList()
              .forEach(
                  rs ->
                      rs.getScopeSpansList()
                          .forEach(ss -> ss.getSpansList().forEach(s -> names.add(s.getName()))));
          return names;
        });
  }

  @Override
  public String settings() {
    return ", \"backend.url\": \"" + url() + "\"";
  }

  @Override
  public List<String> items() {
    return items;
  }

  @Override
  public List<String> tenants() {
    return tenants;
  }

  @Override
  public java.util.Optional<List<String>> authorizations() {
    return java.util.Optional.of(authorizations);
  }

  @Override
  public List<String> encodings() {
    return encodings;
  }

  @Override
  public boolean refuseCredentials(boolean on) {
    forcedStatus = on ? 401 : 0;
    return true;
  }

  @Override
  public void outage(boolean on) {
    forcedStatus = on ? 503 : 0;
  }

  @Override
  public String refuse() {
    forcedStatus = 400;
    return null;
  }

  @Override
  public boolean throttle(int times, java.time.Duration wait) {
    throttleSeconds = wait.toSeconds();
    throttle.set(times);
    return true;
  }

  @Override
  public List<Long> throttledAt() {
    return throttledAt;
  }

  @Override
  public List<Long> acceptedAt() {
    return acceptedAt;
  }

  @Override
  public String refuseItem(String name) {
    refusedItem = name;
    return null;
  }

  @Override
  public List<String> refusalMessage() {
    return List.of("answered 400: forced status 400 from the test receiver");
  }

  public String url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://localhost:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
