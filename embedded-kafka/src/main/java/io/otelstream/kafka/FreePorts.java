package io.otelstream.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free local port for a test's or dev mode's listeners, so runs can go side by side. Ports come
 * from below the kernel's ephemeral range (10000-29999): a port the kernel hands out for port 0 is
 * also what it hands to outgoing connections, so one picked that way can be taken by a Kafka
 * client's connection before the listener binds it. A port is handed out once per JVM, and only
 * after binding it on every address has worked.
 */
public final class FreePorts {
  private static final int FIRST = 10_000;
  private static final int LAST = 29_999;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {}

  public static synchronized int next() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
      if (!GIVEN.contains(port) && bindable(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + "-" + LAST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(port)); // the wildcard address: clashes with any local use
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
