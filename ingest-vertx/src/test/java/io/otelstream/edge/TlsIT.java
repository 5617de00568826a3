package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.testing.TestCertificates;
import io.otelstream.topics.Topic;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on both OTLP listeners, with the real SDK exporters as clients. */
class TlsIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir static Path dir;
  private static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCertificates(dir);
  }

  private static String tls(boolean mutual) {
    return "tls:\n  cert_file: "
        + certs.file("server.crt")
        + "\n  key_file: "
        + certs.file("server.key")
        + "\n"
        + (mutual ? "  client_ca_file: " + certs.file("ca.crt") + "\n" : "");
  }

  /** Exports one span; true when the edge acknowledged it. */
  private static boolean export(SpanExporter exporter) {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                SimpleSpanProcessor.create(new AcknowledgedSpans(exporter, acknowledged)))
            .build()) {
      provider.get("tls").spanBuilder("secure").startSpan().end();
      provider.forceFlush().join(30, TimeUnit.SECONDS);
    }
    return acknowledged.size() == 1;
  }

  @Test
  void tlsOnGrpcAndHttp() throws Exception {
    try (TestEdge edge = TestEdge.start(kafka, tls(false))) {
      assertThat(
              export(
                  OtlpGrpcSpanExporter.builder()
                      .setEndpoint("https://localhost:" + edge.server.grpcPort())
                      .setTrustedCertificates(certs.bytes("ca.crt"))
                      .build()))
          .isTrue();
      assertThat(
              export(
                  OtlpHttpSpanExporter.builder()
                      .setEndpoint("https://localhost:" + edge.server.httpPort() + "/v1/traces")
                      .setTrustedCertificates(certs.bytes("ca.crt"))
                      .build()))
          .isTrue();
      assertThat(edge.count(Topic.TRACES)).isEqualTo(2);
    }
  }

  @Test
  void mutualTlsNeedsAClientCertificateSignedByTheCa() throws Exception {
    try (TestEdge edge = TestEdge.start(kafka, tls(true))) {
      assertThat(
              export(
                  OtlpGrpcSpanExporter.builder()
                      .setEndpoint("https://localhost:" + edge.server.grpcPort())
                      .setTrustedCertificates(certs.bytes("ca.crt"))
                      .setClientTls(certs.bytes("client.key"), certs.bytes("client.crt"))
                      .build()))
          .isTrue();
      assertThat(
              export(
                  OtlpHttpSpanExporter.builder()
                      .setEndpoint("https://localhost:" + edge.server.httpPort() + "/v1/traces")
                      .setTrustedCertificates(certs.bytes("ca.crt"))
                      .setClientTls(certs.bytes("client.key"), certs.bytes("client.crt"))
                      .build()))
          .isTrue();
      assertThat(
              export(
                  OtlpHttpSpanExporter.builder()
                      .setEndpoint("https://localhost:" + edge.server.httpPort() + "/v1/traces")
                      .setTrustedCertificates(certs.bytes("ca.crt"))
                      .build()))
          .as("no client certificate")
          .isFalse();
      assertThat(edge.count(Topic.TRACES)).isEqualTo(2);
    }
  }
}
