package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.otelstream.kafka.EmbeddedConnect;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.sinks.rest.BasicAuthRestExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Connect worker locked down as the chart runs it: its REST API refuses calls without a known
 * user's credentials (BasicAuthRestExtension), and its env config provider resolves only the
 * variables its allow-list names; a connector that reads another one is refused.
 */
class ConnectRestAuthIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();
  @TempDir static Path dir;
  static EmbeddedConnect connect;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void start() throws Exception {
    Path users = dir.resolve("connect-users.properties");
    Files.writeString(users, "operator=s3cret\n");
    connect =
        EmbeddedConnect.start(
            kafka.bootstrapServers(),
            "auth-" + System.nanoTime(),
            0,
            Map.of(
                "rest.extension.classes",
                BasicAuthRestExtension.class.getName(),
                BasicAuthRestExtension.USERS_FILE,
                users.toString(),
                "config.providers",
                "env",
                "config.providers.env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "config.providers.env.param.allowlist.pattern",
                "^HOME$"),
            basic("operator", "s3cret"));
  }

  @AfterAll
  static void stop() {
    connect.close();
  }

  private static int status(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(connect.restUrl() + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void restCallsWithoutAKnownUsersCredentialsAreRefused() throws Exception {
    assertThat(status("/connectors", null)).isEqualTo(401);
    assertThat(status("/connectors", basic("operator", "wrong"))).isEqualTo(401);
    assertThat(status("/connectors", basic("intruder", "s3cret"))).isEqualTo(401);
    assertThat(status("/connector-plugins", "Basic !!!")).isEqualTo(401);
    assertThat(status("/connectors", basic("operator", "s3cret"))).isEqualTo(200);
    assertThat(status("/", null)).as("the version, for liveness probes").isEqualTo(200);
  }

  @Test
  void aConnectorReadingAVariableOutsideTheAllowListIsRefused() throws Exception {
    String topic = "auth-topic-" + System.nanoTime();
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Path files = dir.resolve("files");
    String config =
        """
        {"connector.class": "io.otelstream.sinks.file.FileSinkConnector", "topics": "%s",
         "otlp.signal": "traces", "file.directory": "%s", "tenant.static": "%s"}
        """;
    connect.put("/connectors/allowed/config", config.formatted(topic, files, "${env:HOME}"));
    connect.put("/connectors/refused/config", config.formatted(topic, files, "${env:PATH}"));
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> connect.get("/connectors/refused/status").body().contains("\"FAILED\""));
    assertThat(connect.get("/connectors/refused/status").body())
        .contains("tenant.static")
        .contains("allow-list");
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () ->
                connect
                    .get("/connectors/allowed/status")
                    .body()
                    .matches(".*\"connector\":\\{\"state\":\"RUNNING\".*"));
  }
}
