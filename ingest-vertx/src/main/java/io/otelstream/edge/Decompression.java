package io.otelstream.edge;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Inflates request bodies, stopping as soon as the output passes the limit (gzip bombs). The output
 * is reserved in the request's in-flight budget block by block before it is held, so concurrent
 * bombs meet the budget (503) rather than the heap.
 */
final class Decompression {
  private static final int BLOCK = 256 * 1024;

  private Decompression() {}

  /**
   * @param encoding {@code gzip}, {@code identity} or null
   * @throws EdgeError TOO_LARGE past the limit, INVALID for corrupt data, UNSUPPORTED_MEDIA_TYPE
   *     for other encodings
   */
  static byte[] decode(
      String encoding, byte[] body, long maxDecompressedBytes, Reservation reservation) {
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
      java.util.List<byte[]> blocks = new java.util.ArrayList<>();
      long total = 0;
      while (true) {
        reservation.reserve(BLOCK);
        byte[] block = new byte[BLOCK];
        int filled = in.readNBytes(block, 0, BLOCK);
        total += filled;
        if (total > maxDecompressedBytes) {
          throw new EdgeError(
              EdgeError.Kind.TOO_LARGE,
              "decompressed_too_large",
              "request body inflates past the decompressed limit of "
                  + maxDecompressedBytes
                  + " bytes; send smaller batches");
        }
        blocks.add(block);
        if (filled < BLOCK) {
          break;
        }
      }
      reservation.reserve(total);
      byte[] out = new byte[(int) total];
      int at = 0;
      for (byte[] block : blocks) {
        int n = (int) Math.min(BLOCK, total - at);
        System.arraycopy(block, 0, out, at, n);
        at += n;
      }
      reservation.shrinkTo(reservation.held() - (long) blocks.size() * BLOCK);
      return out;
    } catch (IOException e) {
      throw new EdgeError(
          EdgeError.Kind.INVALID,
          "invalid_gzip",
          "request body is not valid gzip: " + e.getMessage());
    }
  }
}
