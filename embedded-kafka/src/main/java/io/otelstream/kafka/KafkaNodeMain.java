package io.otelstream.kafka;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaRaftServer;

/**
 * One KRaft node (broker and controller) in a JVM of its own, for tests that kill brokers with
 * SIGKILL: {@code KafkaNodeMain NODE.properties CLUSTER_ID}. Formats its storage on first start.
 */
public final class KafkaNodeMain {
  private KafkaNodeMain() {}

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      p.load(in);
    }
    KafkaRaftServer server = KraftNode.start(p, args[1], System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    server.awaitShutdown();
  }
}
