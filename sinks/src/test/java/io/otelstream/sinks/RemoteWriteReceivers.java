package io.otelstream.sinks;

import io.otelstream.kafka.FreePorts;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's real Prometheus and VictoriaMetrics, started as remote-write receivers on free ports.
 */
public final class RemoteWriteReceivers implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  public final String prometheus;
  final String victoria;
  private final Process prometheusProcess;
  private final Process victoriaProcess;

  public RemoteWriteReceivers(Path dir) throws Exception {
    int p = FreePorts.next();
    int v = FreePorts.next();
    prometheus = "http://127.0.0.1:" + p;
    victoria = "http://127.0.0.1:" + v;
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 15s\n");
    prometheusProcess =
        start(
            dir.resolve("prometheus.log"),
            "prometheus",
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
            "--web.listen-address=127.0.0.1:" + p,
            "--web.enable-remote-write-receiver",
            "--enable-feature=exemplar-storage",
            "--enable-feature=native-histograms");
    victoriaProcess =
        start(
            dir.resolve("victoria.log"),
            "victoria-metrics",
            "-httpListenAddr=127.0.0.1:" + v,
            "-storageDataPath=" + dir.resolve("victoria-data"),
            "-search.latencyOffset=0s",
            "-search.disableCache");
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .ignoreExceptions()
        .until(
            () ->
                get(prometheus + "/-/ready").statusCode() == 200
                    && get(victoria + "/health").statusCode() == 200);
  }

  private static Process start(Path log, String binary, String... args) throws Exception {
    String path = "/usr/bin/" + binary;
    if (!new File(path).canExecute()) {
      throw new IllegalStateException(
          path
              + " is missing: install Debian's "
              + binary
              + (binary.equals("prometheus") ? "" : "")
              + " package (.ci/run does)");
    }
    List<String> command = new java.util.ArrayList<>(List.of(path));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** The JSON of an instant query. */
  public static String query(String base, String promql) throws Exception {
    return get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .body();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    prometheusProcess.destroy();
    victoriaProcess.destroy();
    prometheusProcess.waitFor(30, TimeUnit.SECONDS);
    victoriaProcess.waitFor(30, TimeUnit.SECONDS);
  }
}
