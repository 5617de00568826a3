package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClientResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the broker down the edge answers 503 / UNAVAILABLE with retry hints within its timeout; once
 * the broker is back, the SDK's retries succeed and nothing acknowledged is missing.
 */
class BrokerDownIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void failsFastWithRetryHintsAndLosesNothingAcknowledged() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestEdge edge =
        TestEdge.start(kafka, "limits: {request_timeout: 2s, retry_after: 1s}\n")) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      ByteString before = Otlp.randomTraceId();
      assertThat(post(edge, before).statusCode()).isEqualTo(200);
      acknowledged.add(RecordKeys.traceKeyString(before));

      kafka.stop();
      long started = System.nanoTime();
      HttpResponse<byte[]> down = post(edge, Otlp.randomTraceId());
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
          .as("answered within the 2s timeout plus slack")
          .isLessThan(6000);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).hasValue("1");
      Status status = Status.parseFrom(down.body());
      assertThat(status.getCode()).isEqualTo(14);
      assertThat(status.getMessage()).contains("retry");
      assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
          .isEqualTo(1);

      GrpcClientResponse<Buffer, Buffer> grpc =
          GrpcCalls.export(
              vertx, edge.server.grpcPort(), Otlp.traces(Otlp.randomTraceId()).toByteArray(), null);
      assertThat(grpc.status().code).isEqualTo(14); // UNAVAILABLE
      Status grpcStatus = Status.parseFrom(Base64.getDecoder().decode(GrpcCalls.details(grpc)));
      assertThat(grpcStatus.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
          .isEqualTo(1);

      // The SDK starts exporting while the broker is down and keeps retrying until it is back.
      RetryPolicy retries =
          RetryPolicy.builder()
              .setMaxAttempts(5)
              .setInitialBackoff(Duration.ofSeconds(1))
              .setMaxBackoff(Duration.ofSeconds(5))
              .setBackoffMultiplier(2)
              .build();
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(
                  BatchSpanProcessor.builder(
                          new AcknowledgedSpans(
                              OtlpHttpSpanExporter.builder()
                                  .setEndpoint(edge.httpUrl("/v1/traces"))
                                  .setRetryPolicy(retries)
                                  .build(),
                              acknowledged))
                      .build())
              .build();
      Tracer tracer = provider.get("broker-down");
      for (int i = 0; i < 20; i++) {
        tracer.spanBuilder("while-down-" + i).startSpan().end();
      }
      double rejectedBefore = unavailableRejections(edge);
      CompletableResultCode flushed = provider.forceFlush();
      TestEdge.sleepUntil(() -> unavailableRejections(edge) > rejectedBefore, 30);
      kafka.start();
      assertThat(flushed.join(90, TimeUnit.SECONDS).isSuccess()).isTrue();
      provider.close();
      assertThat(acknowledged).as("every SDK span acknowledged after retries").hasSize(21);

      Set<String> stored = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : edge.records(Topic.TRACES)) {
        ExportTraceServiceRequest.parseFrom(r.value());
        stored.add(new String(r.key(), StandardCharsets.US_ASCII));
      }
      assertThat(stored).containsAll(acknowledged);
    } finally {
      vertx.close();
    }
  }

  private static HttpResponse<byte[]> post(TestEdge edge, ByteString traceId) throws Exception {
    return Otlp.post(
        edge.httpUrl("/v1/traces"), "application/x-protobuf", Otlp.traces(traceId).toByteArray());
  }

  /** 503s the edge has answered on HTTP, read from its own /metrics. */
  private static double unavailableRejections(TestEdge edge) {
    try {
      String metrics =
          new String(
              Otlp.HTTP
                  .send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create(
                                  "http://localhost:" + edge.server.adminPort() + "/metrics"))
                          .build(),
                      HttpResponse.BodyHandlers.ofByteArray())
                  .body(),
              StandardCharsets.UTF_8);
      return metrics
          .lines()
          .filter(
              l ->
                  l.startsWith("otelstream_edge_requests_rejected_total")
                      && l.contains("transport=\"http\"")
                      && (l.contains("kafka_unavailable") || l.contains("produce_timeout")))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
