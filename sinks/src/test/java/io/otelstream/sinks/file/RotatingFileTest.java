package io.otelstream.sinks.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {
  @TempDir Path dir;

  @Test
  void aLineCutShortIsCutOffBeforeTheRetriedLinesAreAppended() throws Exception {
    Path path = dir.resolve("traces.jsonl");
    // What a failed write or a crash leaves: whole lines, then part of one.
    Files.writeString(path, "{\"a\":1}\n{\"b\":2}\n{\"c\":", StandardCharsets.UTF_8);
    try (RotatingFile file = new RotatingFile(path, 1 << 20, 3)) {
      file.append("{\"c\":3}\n".getBytes(StandardCharsets.UTF_8));
      file.sync();
    }
    assertThat(Files.readAllLines(path)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
  }

  @Test
  void aFileWithNoCompleteLineIsEmptiedAndWholeLinesAreKept() throws Exception {
    Path partial = dir.resolve("logs.jsonl");
    Files.writeString(partial, "{\"half", StandardCharsets.UTF_8);
    try (RotatingFile file = new RotatingFile(partial, 1 << 20, 3)) {
      file.append("{\"x\":1}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.readString(partial)).isEqualTo("{\"x\":1}\n");
    Path whole = dir.resolve("metrics.jsonl");
    Files.writeString(whole, "{\"y\":1}\n", StandardCharsets.UTF_8);
    try (RotatingFile file = new RotatingFile(whole, 1 << 20, 3)) {
      file.append("{\"y\":2}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.readAllLines(whole)).containsExactly("{\"y\":1}", "{\"y\":2}");
  }

  @Test
  void aPartialLineLongerThanOneReadBlockIsCutOffWhole() throws Exception {
    Path path = dir.resolve("big.jsonl");
    Files.writeString(path, "{\"a\":1}\n" + "x".repeat(200_000), StandardCharsets.UTF_8);
    try (RotatingFile file = new RotatingFile(path, 1 << 20, 3)) {
      file.append("{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.readAllLines(path)).containsExactly("{\"a\":1}", "{\"b\":2}");
  }
}
