package io.otelstream.sinks.file;

import io.otelstream.schemas.OtlpJson;
import io.otelstream.sinks.BackendException;
import io.otelstream.sinks.BatchingSinkTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Appends each record as one OTLP JSON line to {@code <directory>/<signal>.jsonl}, or to {@code
 * <directory>/<tenant>/<signal>.jsonl} for records with a tenant.
 */
public final class FileSinkTask extends BatchingSinkTask<FileSinkSettings> {
  /** Mimir's rule for tenant IDs, which also keeps a tenant a single safe path segment. */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9!._*'()-]{1,150}");

  private final Map<String, RotatingFile> files = new HashMap<>();
  private FileSinkSettings settings;

  @Override
  protected FileSinkSettings settings(Map<String, String> props) {
    return new FileSinkSettings(props);
  }

  @Override
  protected void open(FileSinkSettings s) {
    settings = s;
  }

  private String tenantOf(Item item) {
    String tenant = item.tenant();
    return tenant.isEmpty() && settings.staticTenant() != null ? settings.staticTenant() : tenant;
  }

  @Override
  protected void check(Item item) throws BackendException {
    String tenant = tenantOf(item);
    if (!tenant.isEmpty()
        && (!TENANT.matcher(tenant).matches() || tenant.equals(".") || tenant.equals(".."))) {
      throw new BackendException(
          "tenant '" + tenant + "' is not a valid tenant ID (1-150 of A-Z a-z 0-9 !-_.*'())",
          false,
          "invalid_tenant",
          null);
    }
  }

  @Override
  protected void send(List<Item> batch) throws BackendException {
    Map<String, ByteArrayOutputStream> byTenant = new LinkedHashMap<>();
    for (Item item : batch) {
      ByteArrayOutputStream lines =
          byTenant.computeIfAbsent(tenantOf(item), t -> new ByteArrayOutputStream());
      lines.writeBytes(OtlpJson.print(item.message()).getBytes(StandardCharsets.UTF_8));
      lines.write('\n');
    }
    try {
      for (Map.Entry<String, ByteArrayOutputStream> e : byTenant.entrySet()) {
        file(e.getKey()).append(e.getValue().toByteArray());
      }
    } catch (IOException e) {
      // Disk full or directory unavailable: retriable, the offsets stay back. A batch split over
      // tenants may then be written twice in part, which at-least-once allows.
      throw new BackendException("cannot write: " + e, true, "io", e);
    }
  }

  private RotatingFile file(String tenant) {
    return files.computeIfAbsent(
        tenant,
        t -> {
          Path dir = t.isEmpty() ? settings.directory() : settings.directory().resolve(t);
          return new RotatingFile(
              dir.resolve(settings.signal().key() + ".jsonl"),
              settings.maxBytes(),
              settings.maxFiles());
        });
  }

  /**
   * Connect commits the returned offsets: the lines of every delivered record are synced to the
   * disk first, and when that fails nothing is committed (the records are written again).
   */
  @Override
  public Map<
          org.apache.kafka.common.TopicPartition,
          org.apache.kafka.clients.consumer.OffsetAndMetadata>
      preCommit(
          Map<
                  org.apache.kafka.common.TopicPartition,
                  org.apache.kafka.clients.consumer.OffsetAndMetadata>
              current) {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata>
        delivered = super.preCommit(current);
    try {
      for (RotatingFile f : files.values()) {
        f.sync();
      }
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(FileSinkTask.class)
          .warn("cannot sync the output files ({}); offsets not committed this time", e.toString());
      return Map.of();
    }
    return delivered;
  }

  @Override
  protected void closeBackend() {
    for (RotatingFile f : files.values()) {
      try {
        f.close();
      } catch (IOException e) {
        throw new ConnectException(e);
      }
    }
  }
}
