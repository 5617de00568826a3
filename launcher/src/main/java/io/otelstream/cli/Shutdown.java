package io.otelstream.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks the main thread until Ctrl-C / SIGTERM, then runs the given stop action once. */
final class Shutdown {
  private Shutdown() {}

  static void awaitSignal(Runnable stop) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    stop.run();
                  } finally {
                    stopped.countDown();
                  }
                },
                "otelstream-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
