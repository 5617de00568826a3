package io.otelstream.sinks.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file that rotates by size: name, name.1 (newest rotated) ... name.N. It is opened
 * on the first append and opened again when it was removed from under it, so an unavailable
 * directory is a retriable write failure rather than a task that cannot start.
 */
final class RotatingFile implements AutoCloseable {
  private final Path path;
  private final long maxBytes;
  private final int maxFiles;
  private OutputStream out;
  private long size;

  RotatingFile(Path path, long maxBytes, int maxFiles) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
  }

  /** Appends whole lines and makes them durable before returning. */
  void append(byte[] lines) throws IOException {
    if (out == null || !Files.exists(path)) {
      close();
      Files.createDirectories(path.getParent());
      open();
    }
    if (size > 0 && size + lines.length > maxBytes) {
      rotate();
    }
    out.write(lines);
    out.flush();
    size += lines.length;
  }

  private void open() throws IOException {
    out =
        Files.newOutputStream(
            path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(path);
  }

  private void rotate() throws IOException {
    close();
    Files.deleteIfExists(rotated(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      if (Files.exists(rotated(i))) {
        Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  private Path rotated(int n) {
    return path.resolveSibling(path.getFileName() + "." + n);
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
