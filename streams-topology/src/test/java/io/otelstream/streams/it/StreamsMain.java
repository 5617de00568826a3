package io.otelstream.streams.it;

import io.otelstream.config.ConfigLoader;
import io.otelstream.streams.app.StreamsApp;
import io.otelstream.streams.app.StreamsAppConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs the streams app from a YAML file in its own JVM (used by crash tests and benchmarks). */
public final class StreamsMain {
  private StreamsMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: StreamsMain CONFIG.yaml");
      System.exit(2);
    }
    StreamsApp app =
        StreamsApp.start(
            ConfigLoader.withSystemEnv().load(Path.of(args[0]), StreamsAppConfig.class));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
