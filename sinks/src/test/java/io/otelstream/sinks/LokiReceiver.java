package io.otelstream.sinks;

import com.sun.net.httpserver.HttpServer;
import io.otelstream.schemas.loki.PushRequest;
import io.otelstream.schemas.loki.StreamAdapter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xerial.snappy.Snappy;

/**
 * Stands in for Loki's push endpoint: snappy + PushRequest protobuf, and Loki's documented refusals
 * with 400: unparsable stream selectors, invalid or duplicate label names, empty label sets and
 * more than 15 label names per stream.
 */
public final class LokiReceiver implements AutoCloseable {
  private static final Pattern PAIR =
      Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** One accepted stream: tenant, parsed labels, and the request it came in. */
  public record Received(String tenant, Map<String, String> labels, StreamAdapter stream) {}

  final HttpServer server;
  public final List<Received> streams = new CopyOnWriteArrayList<>();

  public LokiReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/loki/api/v1/push",
        ex -> {
          int status;
          String answer = "";
          try {
            if (!"snappy".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
              throw new IllegalArgumentException("expected snappy-compressed protobuf");
            }
            PushRequest push =
                PushRequest.parseFrom(Snappy.uncompress(ex.getRequestBody().readAllBytes()));
            String tenant = String.valueOf(ex.getRequestHeaders().getFirst("X-Scope-OrgID"));
            for (StreamAdapter s : push.getStreamsList()) {
              streams.add(new Received(tenant, parse(s.getLabels()), s));
            }
            status = 204;
          } catch (IllegalArgumentException | IOException e) {
            status = 400;
            answer = e.getMessage();
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

  /** Loki's selector rules; the message says what Loki would say. */
  static Map<String, String> parse(String selector) {
    String s = selector.trim();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw new IllegalArgumentException("error parsing labels " + selector + ": syntax error");
    }
    String body = s.substring(1, s.length() - 1).trim();
    if (body.isEmpty()) {
      throw new IllegalArgumentException("error at least one label pair is required per stream");
    }
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    Matcher m = PAIR.matcher(body);
    int pos = 0;
    while (pos < body.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("error parsing labels " + selector + ": syntax error");
      }
      String name = m.group(1);
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid label name \"" + name + "\" in " + selector);
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("duplicate label name \"" + name + "\" in " + selector);
      }
      labels.put(name, m.group(2));
      pos = m.end();
    }
    if (labels.size() > 15) {
      throw new IllegalArgumentException(
          "entry for stream '" + selector + "' has " + labels.size() + " label names; limit 15");
    }
    return labels;
  }

  public String url() {
    return "http://localhost:" + server.getAddress().getPort() + "/loki/api/v1/push";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
