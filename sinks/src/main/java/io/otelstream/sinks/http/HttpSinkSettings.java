package io.otelstream.sinks.http;

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
  public static final String TENANT = "tenant.static";
  public static final String BEARER_TOKEN = "auth.bearer.token";
  public static final String BASIC_USER = "auth.basic.username";
  public static final String BASIC_PASSWORD = "auth.basic.password";
  private static final String BACKEND = "Backend";
  private static final String AUTH = "Authentication";

  protected HttpSinkSettings(ConfigDef definition, Map<String, String> props) {
    super(definition, props);
    if (getPassword(BEARER_TOKEN) != null && getString(BASIC_USER) != null) {
      throw new ConfigException(
          BEARER_TOKEN, "***", "set bearer or basic authentication, not both");
    }
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
            TENANT,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "X-Scope-OrgID for records without an otelstream.tenant header (default: none).",
            BACKEND,
            3,
            Width.MEDIUM,
            "Static tenant")
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
            "Basic password");
  }

  public URI url() {
    return URI.create(getString(URL));
  }

  public Duration timeout() {
    return Duration.ofMillis(getLong(TIMEOUT_MS));
  }

  public String staticTenant() {
    return getString(TENANT);
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
