package io.otelstream.sinks.http;

import io.otelstream.sinks.BackendException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * POSTs one encoded batch and classifies the answer as DESIGN.md says: 2xx accepted; 429, 5xx,
 * timeouts and connection errors retriable; 401 and 403 retriable too (an expired or revoked
 * credential is the pipeline's fault, not the records': dead-lettering them would empty the stream
 * into the dead-letter topic); any other status permanent, with the backend's message.
 */
public final class HttpBackend {
  private final HttpClient client;
  private final HttpSinkSettings settings;

  public HttpBackend(HttpSinkSettings settings) {
    this.settings = settings;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.timeout());
    if (settings.tls().custom()) {
      builder.sslContext(settings.tls().sslContext());
    }
    this.client = builder.build();
  }

  /**
   * @param tenant X-Scope-OrgID; null or "" for the static tenant, if any
   * @return the body of the 2xx answer
   */
  public byte[] post(
      byte[] body, String contentType, Map<String, String> extraHeaders, String tenant)
      throws BackendException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.url())
            .timeout(settings.timeout())
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    extraHeaders.forEach(request::header);
    String tenantHeader = tenant != null && !tenant.isEmpty() ? tenant : settings.staticTenant();
    if (tenantHeader != null) {
      request.header("X-Scope-OrgID", tenantHeader);
    }
    String auth = settings.authorization();
    if (auth != null) {
      request.header("Authorization", auth);
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new BackendException(
          "no answer from " + settings.url() + " within " + settings.timeout().toMillis() + " ms",
          true,
          "timeout",
          e);
    } catch (IOException e) {
      // A refused handshake may be a certificate being rotated: retriable, but told apart.
      String reason = tlsFailure(e) ? "tls" : "connection";
      throw new BackendException("cannot reach " + settings.url() + ": " + e, true, reason, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted", true, "interrupted", e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return response.body();
    }
    String message =
        settings.url()
            + " answered "
            + status
            + ": "
            + abbreviate(new String(response.body(), StandardCharsets.UTF_8));
    boolean credentials = status == 401 || status == 403;
    if (credentials) {
      message +=
          " (the backend refuses this sink's credentials: retried with backoff until they"
              + " are fixed, nothing is dead-lettered)";
    }
    boolean retriable = status == 429 || status / 100 == 5 || credentials;
    throw new BackendException(
        message,
        retriable,
        "http_" + status,
        null,
        retriable
            ? RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null))
            : null);
  }

  /**
   * POSTs a protobuf body with snappy block compression, as remote write and Loki's push API
   * require.
   */
  public void postSnappy(byte[] protobuf, Map<String, String> extraHeaders, String tenant)
      throws BackendException {
    byte[] body;
    try {
      body = Snappy.compress(protobuf);
    } catch (IOException e) {
      throw new BackendException(
          "snappy compression failed: " + e.getMessage(), false, "encoding", e);
    }
    Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
    headers.put("Content-Encoding", "snappy");
    post(body, "application/x-protobuf", headers, tenant);
  }

  private static boolean tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    String oneLine = s.replace('\n', ' ').trim();
    return oneLine.length() > 500 ? oneLine.substring(0, 500) + "..." : oneLine;
  }
}
