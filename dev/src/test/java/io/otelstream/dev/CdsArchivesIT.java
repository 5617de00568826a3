package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs launcher/cds-archives.sh as the image's build does (the production launcher's jars, the dev
 * module's Kafka and load generator for the training); then the JVM maps each archive on the
 * production classpath: both must be usable there and hold the classes of the path each command
 * runs for every record.
 */
class CdsArchivesIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path INSTALL = ROOT.resolve("launcher/target");
  private static final String CLASSPATH =
      INSTALL.resolve("otelstream-launcher.jar") + ":" + INSTALL.resolve("lib") + "/*";

  @TempDir Path dir;

  @Test
  void theTrainedArchivesServeTheEdgeAndTheStreamsAppFromTheProductionClasspath() throws Exception {
    Path out = dir.resolve("cds");
    ProcessBuilder training =
        new ProcessBuilder(
                "sh",
                ROOT.resolve("launcher/cds-archives.sh").toString(),
                INSTALL.toString(),
                ROOT.resolve("dev/target").toString(),
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("training.out").toFile());
    Map<String, String> env = training.environment();
    env.put("CDS_SECONDS", "5");
    for (String port :
        List.of(
            "CDS_KAFKA_PORT",
            "CDS_GRPC_PORT",
            "CDS_HTTP_PORT",
            "CDS_EDGE_ADMIN_PORT",
            "CDS_STREAMS_ADMIN_PORT")) {
      env.put(port, Integer.toString(FreePorts.next()));
    }
    Process p = training.start();
    assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("training finished").isTrue();
    String trainingOut = Files.readString(dir.resolve("training.out"));
    assertThat(p.exitValue()).as(trainingOut).isZero();

    String edge = archiveListing(out.resolve("edge.jsa"));
    assertThat(edge)
        .as("the edge's archive holds the request path and the producer")
        .contains("io.otelstream.edge.ExportService ")
        .contains("org.apache.kafka.clients.producer.KafkaProducer ")
        .contains("io.vertx.core.");
    String streams = archiveListing(out.resolve("streams.jsa"));
    assertThat(streams)
        .as("the streams app's archive holds Kafka Streams and the sampler's record path")
        .contains("org.apache.kafka.streams.KafkaStreams ")
        .contains("io.otelstream.streams.traces.TailSamplingProcessor ")
        .contains("org.rocksdb.RocksDB ");
  }

  /**
   * Maps the archive as a JVM on the production classpath would, and lists its classes; a JVM that
   * cannot use it (other jars, another path) exits 1 here.
   */
  private String archiveListing(Path archive) throws Exception {
    Path listing = dir.resolve(archive.getFileName() + ".txt");
    Process p =
        new ProcessBuilder(
                "java",
                "-XX:SharedArchiveFile=" + archive,
                "-XX:+PrintSharedArchiveAndExit",
                "-cp",
                CLASSPATH,
                "io.otelstream.cli.Otelstream")
            .redirectErrorStream(true)
            .redirectOutput(listing.toFile())
            .start();
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(listing, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s on the production classpath: %s", archive, out).isZero();
    return out;
  }
}
