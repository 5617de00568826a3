package io.otelstream.perf;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pre-fills otlp-traces the way the edge writes it: one record per trace holding its spans, keyed
 * by the 32-hex trace ID. Usage: TraceFill BOOTSTRAP TOPIC TRACES SPANS_PER_TRACE
 */
public final class TraceFill {
  private TraceFill() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int traces = Integer.parseInt(args[2]);
    int spansPerTrace = Integer.parseInt(args[3]);
    SplittableRandom random = new SplittableRandom(2026);
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "all",
            "enable.idempotence",
            "true",
            "compression.type",
            "lz4",
            "linger.ms",
            "10",
            "batch.size",
            Integer.toString(256 * 1024));
    long start = System.nanoTime();
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      long now = System.currentTimeMillis();
      for (int t = 0; t < traces; t++) {
        byte[] id = ByteBuffer.allocate(16).putLong(random.nextLong() | 1).putLong(t).array();
        byte[] value = trace(id, spansPerTrace, random);
        bytes += value.length;
        // Record times spread over the fill, as live traffic would have them.
        p.send(
            new ProducerRecord<>(
                topic, null, now + t / 100, HexFormat.of().formatHex(id).getBytes(), value));
      }
      p.flush();
    }
    System.out.printf(
        "filled %s with %d traces, %d spans, %.1f MB in %.1fs%n",
        topic,
        traces,
        (long) traces * spansPerTrace,
        bytes / 1e6,
        (System.nanoTime() - start) / 1e9);
  }

  static byte[] trace(byte[] id, int spans, SplittableRandom random) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    boolean error = random.nextInt(100) == 0;
    long start = 1_700_000_000_000_000_000L;
    for (int s = 0; s < spans; s++) {
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(id))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(s + 1).array()))
              .setName(s == 0 ? "GET /api/orders" : "SELECT orders")
              .setStartTimeUnixNano(start + s * 1_000_000L)
              .setEndTimeUnixNano(start + s * 1_000_000L + random.nextInt(50_000_000))
              .addAttributes(attr("http.route", "/api/orders/" + random.nextInt(1000)))
              .addAttributes(attr("db.system", "postgresql"))
              .addAttributes(
                  attr(
                      "payload",
                      Long.toHexString(random.nextLong())
                          + Long.toHexString(random.nextLong())
                          + Long.toHexString(random.nextLong())
                          + Long.toHexString(random.nextLong())));
      if (s > 0) {
        span.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(1).array()));
      }
      if (error && s == spans - 1) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      }
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "orders")))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  private static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }
}
