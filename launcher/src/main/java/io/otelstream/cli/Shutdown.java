package io.otelstream.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The one shutdown path of a long-running command. SIGINT and SIGTERM are handled here instead of
 * by JVM shutdown hooks: the JVM does not begin to exit, so the shutdown hooks that components
 * register for themselves (Kafka Connect does) cannot race the ordered stop. The main thread runs
 * the stop steps in order, each one finished before the next starts, and only then returns, so the
 * command exits normally (status 0). A second signal, or a stop that overruns its bound, ends the
 * process at once with status 1.
 */
public final class Shutdown {
  /** How long the whole ordered stop may take before the process is ended anyway. */
  static final long STOP_BOUND_SECONDS = 60;

  private final String command;
  private final List<Step> steps = new ArrayList<>();
  private final CountDownLatch signalled = new CountDownLatch(1);
  private volatile boolean stopping;

  private record Step(String name, AutoCloseable component) {}

  public Shutdown(String command) {
    this.command = command;
  }

  /** Adds a step; steps run in the order they were added. */
  public Shutdown then(String name, AutoCloseable component) {
    steps.add(new Step(name, component));
    return this;
  }

  /** Blocks until SIGINT or SIGTERM, then stops every step in order and returns. */
  public void awaitSignalAndStop() {
    Signal.handle(new Signal("INT"), this::onSignal);
    Signal.handle(new Signal("TERM"), this::onSignal);
    try {
      signalled.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    startWatchdog();
    stopAll();
  }

  /** Stops every step in order, reporting (not throwing) a step that fails to stop. */
  public void stopAll() {
    for (Step step : steps) {
      long start = System.nanoTime();
      try {
        step.component().close();
        System.out.printf(
            "%s: stopped %s (%d ms)%n",
            command, step.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      } catch (Exception e) {
        System.out.printf("%s: stopping %s failed: %s%n", command, step.name(), e);
      }
    }
    System.out.printf("%s stopped%n", command);
  }

  private void onSignal(Signal signal) {
    if (stopping) {
      System.out.printf(
          "%s: second SIG%s, exiting without a clean stop%n", command, signal.getName());
      Runtime.getRuntime().halt(1);
    }
    stopping = true;
    System.out.printf("%n%s: SIG%s received, stopping%n", command, signal.getName());
    signalled.countDown();
  }

  private void startWatchdog() {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(STOP_BOUND_SECONDS));
              } catch (InterruptedException e) {
                return;
              }
              System.out.printf(
                  "%s: the stop took longer than %d s, exiting without a clean stop%n",
                  command, STOP_BOUND_SECONDS);
              Runtime.getRuntime().halt(1);
            },
            "otelstream-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
