package io.otelstream.cli.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs from the components' admin ports with a hard deadline: the JDK client's own timeout was seen
 * waiting past it, so the answer is awaited with a deadline of its own.
 */
public final class AdminHttp {
  private final Duration timeout;
  private final HttpClient http;

  public AdminHttp(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public HttpResponse<String> get(String url) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
    // Kafka Connect's REST API may ask for Basic credentials; the admin ports ignore them.
    String authorization = io.otelstream.replay.ConnectAuthorization.header();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    var answer = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      return answer.get(timeout.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      answer.cancel(true);
      throw new java.net.http.HttpTimeoutException(
          "no answer within " + timeout.toSeconds() + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }
}
