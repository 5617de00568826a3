package io.otelstream.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tokens file: one {@code tenant token} pair per line; blank lines and {@code #} comments. */
final class TokensFile {
  private TokensFile() {}

  static List<EdgeConfig.Token> read(Path file) {
    try {
      return parse(Files.readString(file), file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read tokens_file " + file + ": " + e, e);
    }
  }

  static List<EdgeConfig.Token> parse(String content, Path file) {
    List<String> lines = content.lines().toList();
    List<EdgeConfig.Token> tokens = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "tokens_file " + file + " line " + (i + 1) + ": write 'tenant token' (two fields)");
      }
      tokens.add(new EdgeConfig.Token(parts[1], parts[0]));
    }
    return tokens;
  }
}
