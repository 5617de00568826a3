package io.otelstream.edge;

import java.io.IOException;
import java.util.Locale;
import org.xerial.snappy.Snappy;

/**
 * Loads the producer's compression codec once at start. Snappy, the default, is native code that
 * snappy-java unpacks into a temporary directory; where it cannot load, every send would fail with
 * a 503 while the edge reports ready. Failing the start names the reason instead.
 */
final class CompressionCheck {
  private static final byte[] PROBE =
      "otelstream".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private CompressionCheck() {}

  static void require(Object compressionType) {
    String type = String.valueOf(compressionType).trim().toLowerCase(Locale.ROOT);
    if (!type.equals("snappy")) {
      return; // none and gzip are the JDK's; lz4-java falls back to Java; zstd fails at the send
    }
    try {
      Snappy.compress(PROBE);
    } catch (IOException | LinkageError | RuntimeException e) {
      throw new IllegalStateException(
          "kafka.compression.type snappy cannot be used in this JVM ("
              + e
              + "); snappy-java unpacks its native library into org.xerial.snappy.tempdir or"
              + " java.io.tmpdir ("
              + System.getProperty(
                  "org.xerial.snappy.tempdir", System.getProperty("java.io.tmpdir"))
              + "), which must be writable and allow execution; or set kafka.compression.type"
              + " to lz4",
          e);
    }
  }
}
