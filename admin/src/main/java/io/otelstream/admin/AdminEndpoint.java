package io.otelstream.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin port every otelstream component serves, the same way: {@code /metrics} (Prometheus
 * text, all of it or only the families named by {@code name[]} query parameters, as Prometheus
 * client libraries do), {@code /health/live} and {@code /health/ready} (200 or 503 with a JSON
 * {@link Health}), and a component's own paths. Served by two daemon threads of its own: a slow
 * scrape never holds up a probe, nothing runs on a component's event loop or stream thread, and the
 * listener never keeps a stopping JVM alive.
 */
public final class AdminEndpoint implements AutoCloseable {
  public static final String METRICS = "/metrics";
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService threads;

  private AdminEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** What an endpoint serves. */
  public static final class Builder {
    private final String component;
    private Function<Set<String>, String> metrics = names -> "";
    private Supplier<Health> live = () -> Health.of(true, "live");
    private Supplier<Health> ready = () -> Health.of(true, "ready");
    private final Map<String, Supplier<String>> json = new LinkedHashMap<>();

    private Builder(String component) {
      this.component = component;
    }

    /** Serves this registry on /metrics. */
    public Builder metrics(PrometheusMeterRegistry registry) {
      return metrics(names -> scrape(registry, names));
    }

    /** Serves what {@code scrape} returns for the requested names (empty: every family). */
    public Builder metrics(Function<Set<String>, String> scrape) {
      this.metrics = scrape;
      return this;
    }

    public Builder live(Supplier<Health> live) {
      this.live = live;
      return this;
    }

    public Builder ready(Supplier<Health> ready) {
      this.ready = ready;
      return this;
    }

    /** Serves {@code body} as JSON on {@code path}. */
    public Builder json(String path, Supplier<String> body) {
      json.put(path, body);
      return this;
    }

    /** Listens on {@code host:port} (0: a free port). */
    public AdminEndpoint listen(String host, int port) {
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot open the " + component + " admin port " + host + ":" + port, e);
      }
      server.createContext(
          "/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, metrics.apply(names(ex))));
      server.createContext("/health/live", health(live));
      server.createContext("/health/ready", health(ready));
      json.forEach(
          (path, body) ->
              server.createContext(path, ex -> respond(ex, 200, "application/json", body.get())));
      Set<String> paths = new TreeSet<>(json.keySet());
      paths.addAll(Set.of(METRICS, LIVE, READY));
      server.createContext(
          "/",
          ex ->
              respond(
                  ex,
                  404,
                  "application/json",
                  Health.of(false, "not found").with("paths", String.join(" ", paths)).json()));
      ExecutorService threads =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "otelstream-" + component + "-admin");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(threads);
      server.start();
      return new AdminEndpoint(server, threads);
    }
  }

  /** An endpoint for {@code component} (named in its threads and errors). */
  public static Builder forComponent(String component) {
    return new Builder(component);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** A registry's exposition, whole or only the named families. */
  public static String scrape(PrometheusMeterRegistry registry, Set<String> names) {
    if (names.isEmpty()) {
      return registry.scrape();
    }
    Set<String> families = new java.util.HashSet<>();
    for (String name : names) {
      // Micrometer filters on the family name, without a sample suffix; accept either.
      families.add(name);
      families.add(name.replaceFirst("_(total|count|sum|bucket|max)$", ""));
    }
    return registry.scrape(PROMETHEUS_TEXT, families);
  }

  private static HttpHandler health(Supplier<Health> check) {
    return ex -> {
      Health h = check.get();
      respond(ex, h.ok() ? 200 : 503, "application/json", h.json());
    };
  }

  private static Set<String> names(HttpExchange ex) {
    Set<String> names = new TreeSet<>();
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      for (String param : query.split("&")) {
        int eq = param.indexOf('=');
        if (eq > 0
            && URLDecoder.decode(param.substring(0, eq), StandardCharsets.UTF_8).equals("name[]")) {
          names.add(URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return names;
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
