package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelstream.schemas.loki.PushRequest;
import io.otelstream.sinks.loki.LokiSinkTask;
import io.otelstream.sinks.mimir.MimirSinkSettings;
import io.otelstream.sinks.tempo.TempoSinkTask;
import io.otelstream.testing.TestCertificates;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * TLS towards the backends: a custom CA and a client certificate, over HTTPS (JDK client) and gRPC
 * (Vert.x client), against servers that require the client certificate.
 */
class SinkTlsIT {
  @TempDir static Path dir;
  private static TestCertificates certs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = new TestCertificates(dir);
  }

  private static Map<String, String> tls(Map<String, String> props) {
    Map<String, String> all = new HashMap<>(props);
    all.put("tls.ca.file", certs.file("ca.crt").toString());
    all.put("tls.cert.file", certs.file("client.crt").toString());
    all.put("tls.key.file", certs.file("client.key").toString());
    all.put("batch.max.records", "1");
    return all;
  }

  private static Receiver lokiOverMutualTls() throws Exception {
    return new Receiver(
        "/loki/api/v1/push",
        (ex, body) -> {
          List<String> lines = new ArrayList<>();
          PushRequest.parseFrom(Snappy.uncompress(body))
              .getStreamsList()
              .forEach(s -> s.getEntriesList().forEach(e -> lines.add(e.getLine())));
          return lines;
        },
        certs.serverContext("server"));
  }

  private static List<SinkRecord> records(byte[]... values) {
    List<SinkRecord> records = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      records.add(new SinkRecord("t", 0, null, null, null, values[i], i));
    }
    return records;
  }

  @Test
  void pushesToLokiWithTheCustomCaAndClientCertificate() throws Exception {
    try (Receiver loki = lokiOverMutualTls()) {
      SinkTask task = new LokiSinkTask();
      task.start(tls(Map.of("otlp.signal", "logs", "backend.url", loki.url())));
      LokiContractIT contract = new LokiContractIT();
      task.put(records(contract.record("one"), contract.record("two")));
      task.stop();
      assertThat(loki.items).containsExactly("one", "two");
    }
  }

  @Test
  void aRefusedHandshakeHoldsTheBatchBack() throws Exception {
    try (Receiver loki = lokiOverMutualTls()) {
      Map<String, String> noClientCertificate =
          tls(Map.of("otlp.signal", "logs", "backend.url", loki.url()));
      noClientCertificate.remove("tls.cert.file");
      noClientCertificate.remove("tls.key.file");
      SinkTask task = new LokiSinkTask();
      task.start(noClientCertificate);
      // TLS 1.3 refuses a missing client certificate after the handshake: a reset connection.
      assertThatThrownBy(() -> task.put(records(new LokiContractIT().record("held"))))
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("backend unavailable");

      Map<String, String> untrustedServer =
          tls(Map.of("otlp.signal", "logs", "backend.url", loki.url()));
      untrustedServer.remove("tls.ca.file");
      SinkTask strict = new LokiSinkTask();
      strict.start(untrustedServer);
      assertThatThrownBy(() -> strict.put(records(new LokiContractIT().record("held"))))
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("(tls)");
      assertThat(loki.items).isEmpty();
    }
  }

  @Test
  void exportsToTempoOverGrpcWithMutualTls() throws Exception {
    try (GrpcTraceReceiver tempo =
        new GrpcTraceReceiver(
            new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(
                    new PemKeyCertOptions()
                        .setCertPath(certs.file("server.crt").toString())
                        .setKeyPath(certs.file("server.key").toString()))
                .setTrustOptions(
                    new PemTrustOptions().addCertPath(certs.file("ca.crt").toString())))) {
      SinkTask task = new TempoSinkTask();
      task.start(tls(Map.of("otlp.signal", "traces", "backend.url", tempo.url())));
      task.put(records(new TempoContractIT().record("secure-span")));
      task.stop();
      assertThat(tempo.spans).containsExactly("secure-span");
    }
  }

  @Test
  void badTlsFilesAreNamedInTheError() {
    Map<String, String> base =
        Map.of("otlp.signal", "metrics", "backend.url", "https://mimir:9009/api/v1/push");
    Map<String, String> certWithoutKey = new HashMap<>(base);
    certWithoutKey.put("tls.cert.file", certs.file("client.crt").toString());
    assertThatThrownBy(() -> new MimirSinkSettings(certWithoutKey))
        .isInstanceOf(InvalidSetting.class)
        .hasMessageContaining("tls.key.file");

    Map<String, String> keyIsNoKey = new HashMap<>(certWithoutKey);
    keyIsNoKey.put("tls.key.file", certs.file("ca.crt").toString());
    assertThatThrownBy(() -> new MimirSinkSettings(keyIsNoKey))
        .isInstanceOf(InvalidSetting.class)
        .hasMessageContaining("tls.key.file")
        .hasMessageContaining("do not make a TLS context");

    Map<String, String> missing = new HashMap<>(base);
    missing.put("tls.ca.file", dir.resolve("absent.pem").toString());
    assertThatThrownBy(() -> new MimirSinkSettings(missing))
        .hasMessageContaining("tls.ca.file")
        .hasMessageContaining("is not a readable file");
  }
}
