package io.otelstream.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Inflates request bodies, stopping as soon as the output passes the limit (gzip bombs). */
final class Decompression {
  private Decompression() {}

  /**
   * @param encoding {@code gzip}, {@code identity} or null
   * @throws EdgeError TOO_LARGE past the limit, INVALID for corrupt data, UNSUPPORTED_MEDIA_TYPE
   *     for other encodings
   */
  static byte[] decode(String encoding, byte[] body, long maxDecompressedBytes) {
    if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
      return body;
    }
    if (!encoding.equalsIgnoreCase("gzip")) {
      throw new EdgeError(
          EdgeError.Kind.UNSUPPORTED_MEDIA_TYPE,
          "unsupported_encoding",
          "content encoding '" + encoding + "' is not supported; send gzip or identity");
    }
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length * 4));
      byte[] buf = new byte[16384];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > maxDecompressedBytes) {
          throw new EdgeError(
              EdgeError.Kind.TOO_LARGE,
              "decompressed_too_large",
              "request body inflates past the decompressed limit of "
                  + maxDecompressedBytes
                  + " bytes; send smaller batches");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new EdgeError(
          EdgeError.Kind.INVALID,
          "invalid_gzip",
          "request body is not valid gzip: " + e.getMessage());
    }
  }
}
