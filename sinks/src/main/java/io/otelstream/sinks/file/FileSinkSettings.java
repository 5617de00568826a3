package io.otelstream.sinks.file;

import io.otelstream.sinks.SinkSettings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The file sink's settings: where the OTLP JSON lines go and when files rotate. */
public final class FileSinkSettings extends SinkSettings {
  public static final String DIRECTORY = "file.directory";
  public static final String MAX_BYTES = "file.max.bytes";
  public static final String MAX_FILES = "file.max.files";
  private static final String GROUP = "Files";

  public static final ConfigDef CONFIG =
      base()
          .define(
              DIRECTORY,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Directory of the output; the sink writes <signal>.jsonl there, one OTLP JSON export request per line.",
              GROUP,
              1,
              Width.LONG,
              "Directory")
          .define(
              MAX_BYTES,
              Type.LONG,
              100L << 20,
              ConfigDef.Range.atLeast(1024),
              Importance.MEDIUM,
              "The current file is rotated to <signal>.jsonl.1 once it reaches this size.",
              GROUP,
              2,
              Width.SHORT,
              "Rotate at bytes")
          .define(
              MAX_FILES,
              Type.INT,
              5,
              ConfigDef.Range.between(1, 1000),
              Importance.LOW,
              "Rotated files kept, oldest removed first.",
              GROUP,
              3,
              Width.SHORT,
              "Rotated files kept");

  public FileSinkSettings(Map<String, String> props) {
    super(CONFIG, props);
    Path dir = directory();
    if (dir.toFile().exists() && !dir.toFile().isDirectory()) {
      throw new ConfigException(DIRECTORY, dir.toString(), "exists and is not a directory");
    }
  }

  public Path directory() {
    return Path.of(getString(DIRECTORY));
  }

  public long maxBytes() {
    return getLong(MAX_BYTES);
  }

  public int maxFiles() {
    return getInt(MAX_FILES);
  }
}
