package io.otelstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway CA with a localhost server certificate and a client certificate, made by openssl. */
public final class TestCertificates {
  public final Path dir;

  public TestCertificates(Path dir) throws Exception {
    this.dir = dir;
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=otelstream-test-ca");
    for (String name : List.of("server", "client")) {
      run(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          name + ".key",
          "-out",
          name + ".csr",
          "-subj",
          "/CN=" + (name.equals("server") ? "localhost" : "otelstream-test-client"));
      run(
          "x509",
          "-req",
          "-in",
          name + ".csr",
          "-CA",
          "ca.crt",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          name + ".crt",
          "-days",
          "2",
          "-extfile",
          "san.ext");
    }
  }

  /**
   * A PKCS#12 key store holding {@code name}.key and {@code name}.crt, for JDK servers, with the
   * password "changeit".
   */
  public java.security.KeyStore pkcs12(String name) throws Exception {
    run(
        "pkcs12",
        "-export",
        "-in",
        name + ".crt",
        "-inkey",
        name + ".key",
        "-out",
        name + ".p12",
        "-passout",
        "pass:changeit");
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file(name + ".p12"))) {
      store.load(in, "changeit".toCharArray());
    }
    return store;
  }

  /**
   * An SSLContext for a JDK server presenting {@code name}.crt; trusting the test CA when it should
   * verify client certificates.
   */
  public javax.net.ssl.SSLContext serverContext(String name) throws Exception {
    javax.net.ssl.KeyManagerFactory keys =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    keys.init(pkcs12(name), "changeit".toCharArray());
    java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (var in = Files.newInputStream(file("ca.crt"))) {
      trusted.setCertificateEntry(
          "ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public byte[] bytes(String name) throws Exception {
    return Files.readAllBytes(file(name));
  }

  private void run(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
