package io.otelstream.sinks.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file that rotates by size: name, name.1 (newest rotated) ... name.N. It is opened
 * on the first append and opened again when it was removed from under it, so an unavailable
 * directory is a retriable write failure rather than a task that cannot start. Lines are durable
 * once {@link #sync} returned (the sink calls it before Connect commits the offsets), and a
 * rotation syncs the file and the directory before the new file takes lines. A line cut short (a
 * failed write, a crash) is cut off when the file is opened again, before anything is appended, so
 * the retried lines never continue a partial one.
 */
final class RotatingFile implements AutoCloseable {
  private final Path path;
  private final long maxBytes;
  private final int maxFiles;
  private FileChannel out;
  private long size;

  RotatingFile(Path path, long maxBytes, int maxFiles) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
  }

  /** Appends whole lines (to the OS: {@link #sync} makes them durable). */
  void append(byte[] lines) throws IOException {
    if (out == null || !Files.exists(path)) {
      close();
      Files.createDirectories(path.getParent());
      open();
    }
    if (size > 0 && size + lines.length > maxBytes) {
      rotate();
    }
    ByteBuffer b = ByteBuffer.wrap(lines);
    try {
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (IOException e) {
      close(); // the next append opens the file again and cuts off what this one left
      throw e;
    }
    size += lines.length;
  }

  /** Forces every appended line to the disk. */
  void sync() throws IOException {
    if (out != null) {
      out.force(false);
    }
  }

  private void open() throws IOException {
    size = cutPartialLine();
    out =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  /** Truncates the file after its last complete line (creating it if absent); returns its size. */
  private long cutPartialLine() throws IOException {
    try (FileChannel f =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = f.size();
      ByteBuffer block = ByteBuffer.allocate(64 * 1024);
      long keep = end;
      scan:
      while (keep > 0) {
        long from = Math.max(0, keep - block.capacity());
        block.clear().limit((int) (keep - from));
        while (block.hasRemaining() && f.read(block, from + block.position()) >= 0) {}
        for (int i = block.position() - 1; i >= 0; i--) {
          if (block.get(i) == '\n') {
            keep = from + i + 1;
            break scan;
          }
        }
        keep = from;
      }
      if (keep < end) {
        f.truncate(keep);
        f.force(false);
      }
      return keep;
    }
  }

  private void rotate() throws IOException {
    sync();
    close();
    Files.deleteIfExists(rotated(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      if (Files.exists(rotated(i))) {
        Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
    open();
  }

  /** Makes the renames durable (a directory's entries are synced through the directory itself). */
  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
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
