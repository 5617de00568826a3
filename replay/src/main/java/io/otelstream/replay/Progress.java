package io.otelstream.replay;

import java.io.PrintStream;

/** Progress of a replay on a terminal: records read of the total, rate, time left. */
final class Progress {
  private final long total;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  Progress(long total, PrintStream out) {
    this.total = total;
    this.out = out;
  }

  void show(long read) {
    if (out == null) {
      return;
    }
    double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    double rate = read / secs;
    String eta = rate <= 0 ? "?" : String.format("%.0f s", Math.max(0, total - read) / rate);
    out.printf(
        "\rread %,d of %,d records (%.1f%%), %,.0f records/s, about %s left   ",
        read, total, total == 0 ? 100.0 : 100.0 * read / total, rate, eta);
    out.flush();
  }

  void done(long read) {
    if (out != null) {
      show(read);
      out.println();
    }
  }
}
