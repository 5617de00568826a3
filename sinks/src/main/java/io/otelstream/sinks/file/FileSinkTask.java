package io.otelstream.sinks.file;

import io.otelstream.schemas.OtlpJson;
import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import io.otelstream.sinks.SinkSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/** Appends each record as one OTLP JSON line to {@code <directory>/<signal>.jsonl}. */
public final class FileSinkTask extends BatchingSinkTask {
  private RotatingFile file;

  @Override
  protected SinkSettings settings(Map<String, String> props) {
    return new FileSinkSettings(props);
  }

  @Override
  protected void open(SinkSettings settings) {
    FileSinkSettings s = (FileSinkSettings) settings;
    try {
      file =
          new RotatingFile(
              s.directory().resolve(s.signal().label() + ".jsonl"), s.maxBytes(), s.maxFiles());
    } catch (IOException e) {
      throw new ConnectException("cannot open " + s.directory() + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void send(List<Item> batch) throws BackendException {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (Item item : batch) {
      lines.writeBytes(OtlpJson.print(item.message()).getBytes(StandardCharsets.UTF_8));
      lines.write('\n');
    }
    try {
      file.append(lines.toByteArray());
    } catch (IOException e) {
      // Disk full or unavailable: retriable, the offsets stay back.
      throw new BackendException("cannot write: " + e.getMessage(), true, "io", e);
    }
  }

  @Override
  public void stop() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        throw new ConnectException(e);
      }
    }
  }
}
