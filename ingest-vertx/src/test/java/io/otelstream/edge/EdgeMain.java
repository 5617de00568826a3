package io.otelstream.edge;

import io.otelstream.config.ConfigLoader;
import java.nio.file.Path;

/** Runs an edge from a YAML file in a JVM of its own, for tests that kill it. */
public final class EdgeMain {
  private EdgeMain() {}

  public static void main(String[] args) throws Exception {
    EdgeServer.start(new ConfigLoader(java.util.Map.of()).load(Path.of(args[0]), EdgeConfig.class));
    Thread.currentThread().join();
  }
}
