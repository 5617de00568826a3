package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the broker down the edge answers 503 in time; after it returns, SDK retries succeed. */
class BrokerDownIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void failsFastWithRetryHintsAndLosesNothingAcknowledged() throws Exception {
    try (TestEdge edge =
        TestEdge.start(kafka, "limits: {request_timeout: 2s, retry_after: 1s}\n")) {
      Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
      ByteString before = Otlp.randomTraceId();
      assertThat(
              Otlp.post(
                      edge.httpUrl("/v1/traces"),
                      "application/x-protobuf",
                      Otlp.traces(before).toByteArray())
                  .statusCode())
          .isEqualTo(200);
      acknowledged.add(RecordKeys.traceKeyString(before));

      kafka.stop();
      assertThat(edge.server.grpcPort()).isPositive();
      long started = System.nanoTime();
      HttpResponse<byte[]> down =
          Otlp.post(
              edge.httpUrl("/v1/traces"),
              "application/x-protobuf",
              Otlp.traces(Otlp.randomTraceId()).toByteArray());
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(elapsedMs).as("answered within the 2s timeout plus slack").isLessThan(6000);
      assertThat(down.headers().firstValue("Retry-After")).hasValue("1");
      Status status = Status.parseFrom(down.body());
      assertThat(status.getCode()).isEqualTo(14);
      assertThat(status.getMessage()).contains("retry");
      assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
          .isEqualTo(1);

      // Known gap (issue 2 note): an SDK whose five retries all fall inside the outage gives up,
      // because the producer needs a while to re-learn topic metadata after the only broker
      // restarts. Here the broker is back first, and the edge must recover without a restart.
      kafka.start();
      TestEdge.sleepUntil(
          () -> {
            try {
              return Otlp.post(
                          edge.httpUrl("/v1/traces"),
                          "application/x-protobuf",
                          Otlp.traces(Otlp.randomTraceId()).toByteArray())
                      .statusCode()
                  == 200;
            } catch (Exception e) {
              return false;
            }
          },
          60);
      RetryPolicy retries =
          RetryPolicy.builder()
              .setMaxAttempts(5)
              .setInitialBackoff(Duration.ofSeconds(2))
              .setMaxBackoff(Duration.ofSeconds(10))
              .setBackoffMultiplier(2)
              .build();
      SpanExporter exporter =
          new AcknowledgedSpans(
              OtlpHttpSpanExporter.builder()
                  .setEndpoint(edge.httpUrl("/v1/traces"))
                  .setRetryPolicy(retries)
                  .build(),
              acknowledged);
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
              .build();
      Tracer tracer = provider.get("broker-down");
      for (int i = 0; i < 20; i++) {
        tracer.spanBuilder("while-down-" + i).startSpan().end();
      }
      assertThat(provider.forceFlush().join(90, TimeUnit.SECONDS).isSuccess())
          .as("SDK export succeeded after retries")
          .isTrue();
      provider.close();
      assertThat(acknowledged).hasSize(21);

      Set<String> stored = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : edge.records(Topic.TRACES)) {
        ExportTraceServiceRequest.parseFrom(r.value());
        stored.add(new String(r.key(), StandardCharsets.US_ASCII));
      }
      assertThat(stored).containsAll(acknowledged);
    }
  }
}
