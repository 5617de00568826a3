package io.otelstream.sinks.http;

import io.otelstream.sinks.InvalidSetting;
import io.otelstream.sinks.SinkSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings of the HTTP-based sinks: endpoint, tenant, authentication, timeouts. */
public class HttpSinkSettings extends SinkSettings {
  public static final String URL = "backend.url";
  public static final String TIMEOUT_MS = "backend.timeout.ms";
  public static final String COMPRESSION = "backend.compression";
  public static final String COMPRESSION_LEVEL = "backend.compression.level";
  public static final String BEARER_TOKEN = "auth.bearer.token";
  public static final String BASIC_USER = "auth.basic.username";
  public static final String BASIC_PASSWORD = "auth.basic.password";
  public static final String TLS_CA_FILE = "tls.ca.file";
  public static final String TLS_CERT_FILE = "tls.cert.file";
  public static final String TLS_KEY_FILE = "tls.key.file";
  private static final String BACKEND = "Backend";
  private static final String AUTH = "Authentication";
  private static final String TLS = "TLS";
  private final TlsFiles tls;

  protected HttpSinkSettings(ConfigDef definition, Map<String, String> props) {
    super(definition, props);
    if (getPassword(BEARER_TOKEN) != null && getString(BASIC_USER) != null) {
      throw new InvalidSetting(BEARER_TOKEN, "***", "set bearer or basic authentication, not both");
    }
    if ((getString(TLS_CERT_FILE) == null) != (getString(TLS_KEY_FILE) == null)) {
      String missing = getString(TLS_CERT_FILE) == null ? TLS_CERT_FILE : TLS_KEY_FILE;
      throw new InvalidSetting(
          missing, null, "a client certificate needs both tls.cert.file and tls.key.file");
    }
    tls = new TlsFiles(getString(TLS_CA_FILE), getString(TLS_CERT_FILE), getString(TLS_KEY_FILE));
  }

  /** The shared HTTP part; {@code defaultUrl} is the backend's usual endpoint. */
  public static ConfigDef http(String defaultUrl) {
    return base()
        .define(
            URL,
            Type.STRING,
            defaultUrl,
            new UrlValidator(),
            Importance.HIGH,
            "Endpoint the batches are POSTed to (http or https).",
            BACKEND,
            1,
            Width.LONG,
            "Backend URL")
        .define(
            TIMEOUT_MS,
            Type.LONG,
            10_000L,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "Time allowed for one request; a timeout is retried.",
            BACKEND,
            2,
            Width.SHORT,
            "Timeout (ms)")
        .define(
            COMPRESSION,
            Type.STRING,
            "gzip",
            ConfigDef.CaseInsensitiveValidString.in("gzip", "none"),
            Importance.LOW,
            "Compression of OTLP requests (gRPC and HTTP), gzip by default as in the Collector's "
                + "exporters. Remote write and the Loki push API always use snappy, as their "
                + "protocols require.",
            BACKEND,
            3,
            Width.SHORT,
            "OTLP compression")
        .define(
            COMPRESSION_LEVEL,
            Type.INT,
            1,
            ConfigDef.Range.between(1, 9),
            Importance.LOW,
            "gzip level of OTLP/HTTP requests: 1 is fastest (the default; see perf/RESULTS.md for "
                + "the cost of each), 9 compresses most.",
            BACKEND,
            4,
            Width.SHORT,
            "gzip level")
        .define(
            BEARER_TOKEN,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Bearer token sent as Authorization.",
            AUTH,
            1,
            Width.MEDIUM,
            "Bearer token")
        .define(
            BASIC_USER,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Basic authentication user.",
            AUTH,
            2,
            Width.MEDIUM,
            "Basic user")
        .define(
            BASIC_PASSWORD,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Basic authentication password.",
            AUTH,
            3,
            Width.MEDIUM,
            "Basic password")
        .define(
            TLS_CA_FILE,
            Type.STRING,
            null,
            new ReadableFile(),
            Importance.MEDIUM,
            "PEM bundle of the CAs that sign the backend's certificate, trusted instead of the "
                + "JVM's trust store (default: the JVM's trust store). Host names are always verified.",
            TLS,
            1,
            Width.LONG,
            "CA file")
        .define(
            TLS_CERT_FILE,
            Type.STRING,
            null,
            new ReadableFile(),
            Importance.MEDIUM,
            "PEM client certificate (chain) for mutual TLS; needs tls.key.file.",
            TLS,
            2,
            Width.LONG,
            "Client certificate file")
        .define(
            TLS_KEY_FILE,
            Type.STRING,
            null,
            new ReadableFile(),
            Importance.MEDIUM,
            "PEM private key of tls.cert.file (PKCS#8, PKCS#1 or SEC1, unencrypted).",
            TLS,
            3,
            Width.LONG,
            "Client key file");
  }

  /** TLS material for clients; JVM defaults when no tls.* file is set. */
  public TlsFiles tls() {
    return tls;
  }

  /**
   * Catches a URL that points at the other protocol's endpoint, the usual slip when switching a
   * sink between its native protocol and OTLP/HTTP.
   */
  protected void requireEndpointFor(
      String protocolKey, boolean otlp, String otlpPath, String nativePath) {
    String path = url().getPath();
    if (otlp && path.endsWith(nativePath)) {
      throw new InvalidSetting(
          URL,
          getString(URL),
          "is the "
              + nativePath
              + " endpoint but "
              + protocolKey
              + " is otlp; use the OTLP endpoint, e.g. http://host:port"
              + otlpPath);
    }
    if (!otlp && path.endsWith(otlpPath)) {
      throw new InvalidSetting(
          URL,
          getString(URL),
          "is an OTLP endpoint but "
              + protocolKey
              + " is "
              + getString(protocolKey)
              + "; set "
              + protocolKey
              + "=otlp or use the "
              + nativePath
              + " endpoint");
    }
  }

  public URI url() {
    return URI.create(getString(URL));
  }

  /** Whether OTLP requests are gzip-compressed. */
  public boolean gzip() {
    return "gzip".equalsIgnoreCase(getString(COMPRESSION));
  }

  public int gzipLevel() {
    return getInt(COMPRESSION_LEVEL);
  }

  public Duration timeout() {
    return Duration.ofMillis(getLong(TIMEOUT_MS));
  }

  /** The Authorization header value, or null. */
  public String authorization() {
    Password bearer = getPassword(BEARER_TOKEN);
    if (bearer != null) {
      return "Bearer " + bearer.value();
    }
    String user = getString(BASIC_USER);
    if (user != null) {
      Password pw = getPassword(BASIC_PASSWORD);
      String pair = user + ":" + (pw == null ? "" : pw.value());
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return null;
  }

  /** Unset, or a file this process can read. */
  static final class ReadableFile implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value != null
          && !java.nio.file.Files.isReadable(java.nio.file.Path.of(value.toString()))) {
        throw new ConfigException(name, value, "is not a readable file");
      }
    }

    @Override
    public String toString() {
      return "path of a readable PEM file";
    }
  }

  /** An absolute http(s) URL with a host. */
  static final class UrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        throw new ConfigException(name, null, "a URL is required");
      }
      try {
        URI u = new URI(value.toString());
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null) {
          throw new ConfigException(name, value, "must be an http:// or https:// URL with a host");
        }
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(name, value, "is not a URL: " + e.getReason());
      }
    }

    @Override
    public String toString() {
      return "http(s)://host[:port]/path";
    }
  }
}
