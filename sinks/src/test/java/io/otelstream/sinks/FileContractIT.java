package io.otelstream.sinks;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.schemas.OtlpJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The contract for the file sink. Its outage is the output directory replaced by a regular file;
 * what it refuses for good is a tenant that is not a safe tenant ID.
 */
class FileContractIT extends SinkContract {
  @Override
  String connectorClass() {
    return "io.otelstream.sinks.file.FileSinkConnector";
  }

  @Override
  String signal() {
    return "traces";
  }

  @Override
  ContractBackend backend() throws Exception {
    return new Directory(Files.createTempDirectory("file-contract"));
  }

  @Override
  Map<String, String> badBackendSettings() {
    return Map.of("file.directory", "", "file.max.bytes", "12", "file.max.files", "0");
  }

  @Override
  byte[] record(String name) {
    return new TempoContractIT().record(name);
  }

  /** The sink's output directory, read back as the backend. */
  private static final class Directory implements ContractBackend {
    private final Path root;

    Directory(Path root) {
      this.root = root;
    }

    @Override
    public String settings() {
      return ", \"file.directory\": \"" + root + "\"";
    }

    /** (tenant, span name) of every line written, tenant "null" for the top directory. */
    private List<String[]> lines() throws IOException {
      List<String[]> lines = new ArrayList<>();
      if (!Files.isDirectory(root)) {
        return lines;
      }
      List<Path> files;
      try (Stream<Path> all = Files.walk(root)) {
        files = all.filter(f -> f.getFileName().toString().startsWith("traces.jsonl")).toList();
      }
      for (Path file : files) {
        String tenant =
            file.getParent().equals(root) ? "null" : file.getParent().getFileName().toString();
        for (String line : Files.readAllLines(file)) {
          ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
          OtlpJson.merge(line.getBytes(StandardCharsets.UTF_8), b);
          b.getResourceSpansList()
              .forEach(
                  rs ->
                      rs.getScopeSpansList()
                          .forEach(
                              ss ->
                                  ss.getSpansList()
                                      .forEach(
                                          s -> lines.add(new String[] {tenant, s.getName()}))));
        }
      }
      return lines;
    }

    @Override
    public List<String> items() throws IOException {
      return lines().stream().map(l -> l[1]).toList();
    }

    @Override
    public List<String> tenants() throws IOException {
      return lines().stream().map(l -> l[0]).toList();
    }

    @Override
    public Optional<List<String>> authorizations() {
      return Optional.empty();
    }

    @Override
    public void outage(boolean on) throws IOException {
      if (on) {
        delete();
        Files.writeString(root, "not a directory");
      } else {
        Files.delete(root);
      }
    }

    @Override
    public String refuse() {
      return "../escape";
    }

    @Override
    public String refuseItem(String name) {
      return "../escape"; // the file sink refuses records by their tenant, one by one
    }

    @Override
    public List<String> itemRefusalMessage() {
      return refusalMessage();
    }

    @Override
    public List<String> refusalMessage() {
      return List.of("'../escape' is not a valid tenant ID");
    }

    private void delete() throws IOException {
      if (!Files.exists(root)) {
        return;
      }
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }

    @Override
    public void close() {
      try {
        delete();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
