package io.otelstream.sinks.rest;

import io.otelstream.sinks.SinkVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

/**
 * HTTP Basic authentication for Kafka Connect's REST API, whose connectors can send any topic and
 * any secret the worker can read to any host. Users and passwords come from the properties file
 * named by the worker setting {@value #USERS_FILE} ({@code user=password} lines, e.g. a mounted
 * Kubernetes Secret). Kafka ships an extension like this (connect-basic-auth-extension,
 * JAAS-based); it is not in the package registries this project builds from, hence this one.
 */
public final class BasicAuthRestExtension implements ConnectRestExtension {
  /** Worker setting: the users file. */
  public static final String USERS_FILE = "otelstream.rest.auth.users.file";

  private Map<String, String> users;

  @Override
  public void configure(Map<String, ?> configs) {
    Object file = configs.get(USERS_FILE);
    if (file == null) {
      throw new IllegalArgumentException(
          USERS_FILE + " must name the users file of the REST API's Basic authentication");
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(file.toString()))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the REST users file " + file, e);
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException("the REST users file " + file + " names no user");
    }
    Map<String, String> read = new java.util.HashMap<>();
    p.stringPropertyNames().forEach(u -> read.put(u, p.getProperty(u)));
    users = Map.copyOf(read);
  }

  @Override
  public void register(ConnectRestExtensionContext context) {
    context.configurable().register(new BasicAuthFilter(users));
  }

  @Override
  public void close() {}

  @Override
  public String version() {
    return SinkVersion.VERSION;
  }
}
