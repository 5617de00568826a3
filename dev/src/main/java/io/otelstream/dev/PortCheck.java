package io.otelstream.dev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks before anything starts that the ports dev mode will listen on are free, so a second `dev`
 * or another program on 9092 gives one line naming the port and the flag, not a broker stack trace.
 */
final class PortCheck {
  private final Map<String, Integer> ports = new LinkedHashMap<>();

  /** Adds a port to check; 0 (any free port) is skipped. */
  PortCheck port(int port, String what) {
    if (port != 0) {
      ports.put(what, port);
    }
    return this;
  }

  /** Throws IllegalStateException naming every port in use. */
  void requireFree() {
    List<String> busy = new ArrayList<>();
    for (Map.Entry<String, Integer> p : ports.entrySet()) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(p.getValue()));
      } catch (IOException e) {
        busy.add(p.getValue() + " (" + p.getKey() + ")");
      }
    }
    if (!busy.isEmpty()) {
      throw new IllegalStateException(
          "port "
              + String.join(", ", busy)
              + " already in use: is another `otelstream dev` running? Stop it, or choose other"
              + " ports with the flags in `otelstream dev --help`");
    }
  }
}
