package io.otelstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelstream.kafka.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tempo over OTLP/gRPC (the default) against a gRPC receiver decoding the real OTLP protos. */
class TempoGrpcIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void exportsOverGrpcRetryingUnavailable() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> spans = new CopyOnWriteArrayList<>();
    List<String> tenants = new CopyOnWriteArrayList<>();
    AtomicInteger unavailable = new AtomicInteger(2);
    GrpcServer grpc =
        GrpcServer.server(vertx)
            .callHandler(
                call ->
                    call.handler(
                        body -> {
                          if (unavailable.getAndDecrement() > 0) {
                            call.response()
                                .status(GrpcStatus.UNAVAILABLE)
                                .statusMessage("warming up")
                                .end();
                            return;
                          }
                          try {
                            ExportTraceServiceRequest.parseFrom(body.getBytes())
                                .getResourceSpansList()
                                .forEach(
                                    rs ->
                                        rs.getScopeSpansList()
                                            .forEach(
                                                ss ->
                                                    ss.getSpansList()
                                                        .forEach(
                                                            s -> {
                                                              spans.add(s.getName());
                                                              tenants.add(
                                                                  String.valueOf(
                                                                      call.headers()
                                                                          .get("x-scope-orgid")));
                                                            })));
                            call.response()
                                .end(
                                    Buffer.buffer(
                                        ExportTraceServiceResponse.getDefaultInstance()
                                            .toByteArray()));
                          } catch (Exception e) {
                            call.response()
                                .status(GrpcStatus.INVALID_ARGUMENT)
                                .statusMessage(e.getMessage())
                                .end();
                          }
                        }));
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(grpc)
            .listen(0, "localhost")
            .await(30, TimeUnit.SECONDS);
    try (ConnectWorker connect = new ConnectWorker(kafka, "tempo-grpc")) {
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic("sampled", 2, (short) 1))).all().get();
      }
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        TempoContractIT contract = new TempoContractIT();
        for (int i = 0; i < 20; i++) {
          RecordHeaders h = new RecordHeaders();
          h.add("otelstream.tenant", "acme".getBytes(StandardCharsets.UTF_8));
          p.send(
              new ProducerRecord<>(
                  "sampled", null, ("k" + i).getBytes(), contract.record("span-" + i), h));
        }
      }
      connect.put(
          "/connectors/tempo-grpc/config",
          """
          {"connector.class": "io.otelstream.sinks.tempo.TempoSinkConnector", "topics": "sampled",
           "otlp.signal": "traces", "backend.url": "http://localhost:%d", "batch.linger.ms": "100"}
          """
              .formatted(server.actualPort()));
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> spans.stream().distinct().count() == 20);
      assertThat(tenants).allMatch("acme"::equals);
      assertThat(unavailable.get()).as("UNAVAILABLE answers were retried").isNegative();
    } finally {
      vertx.close();
    }
  }
}
