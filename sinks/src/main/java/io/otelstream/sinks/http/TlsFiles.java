package io.otelstream.sinks.http;

import io.otelstream.sinks.InvalidSetting;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The sink's TLS material from PEM files, as the Collector's exporters take it: a CA bundle to
 * trust instead of the JVM's trust store, and a client certificate with its key (PKCS#8, PKCS#1 or
 * SEC1) for mutual TLS. Vert.x reads the PEM; the same material serves the JDK client and Vert.x
 * gRPC.
 */
public final class TlsFiles {
  private final PemTrustOptions trust;
  private final PemKeyCertOptions keyCert;
  private final SSLContext context;

  TlsFiles(String caFile, String certFile, String keyFile) {
    this.trust =
        caFile == null
            ? null
            : new PemTrustOptions().addCertValue(read(HttpSinkSettings.TLS_CA_FILE, caFile));
    this.keyCert =
        certFile == null
            ? null
            : new PemKeyCertOptions()
                .setCertValue(read(HttpSinkSettings.TLS_CERT_FILE, certFile))
                .setKeyValue(read(HttpSinkSettings.TLS_KEY_FILE, keyFile));
    // Built once, here: unreadable or mismatched PEM fails when the settings are parsed.
    this.context = custom() ? buildSslContext() : null;
  }

  /** Whether anything differs from the JVM's defaults. */
  public boolean custom() {
    return trust != null || keyCert != null;
  }

  /** Trust for Vert.x clients, or null for the JVM's default. */
  public PemTrustOptions trustOptions() {
    return trust;
  }

  /** Client certificate for Vert.x clients, or null for none. */
  public PemKeyCertOptions keyCertOptions() {
    return keyCert;
  }

  /** The SSLContext for the JDK HTTP client, or null for the JVM's default. */
  public SSLContext sslContext() {
    return context;
  }

  /** Vert.x's PEM reader wants a Vertx for file access, so a small one lives for the load. */
  private SSLContext buildSslContext() {
    Vertx loader =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    try {
      TrustManager[] trustManagers =
          trust == null ? null : trust.getTrustManagerFactory(loader).getTrustManagers();
      KeyManager[] keyManagers =
          keyCert == null ? null : keyCert.getKeyManagerFactory(loader).getKeyManagers();
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (Exception e) {
      throw new InvalidSetting(
          keyCert != null ? HttpSinkSettings.TLS_KEY_FILE : HttpSinkSettings.TLS_CA_FILE,
          null,
          "the PEM files do not make a TLS context: " + e.getMessage());
    } finally {
      loader.close();
    }
  }

  private static Buffer read(String setting, String file) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new InvalidSetting(setting, file, "cannot be read: " + e);
    }
  }
}
