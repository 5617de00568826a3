package io.otelstream.perf;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
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
 * Pre-fills otlp-traces the way the edge writes it: records keyed by the 32-hex trace ID, each
 * holding spans of one trace, 1% of traces with an error span. By default one record per trace;
 * with FRAGMENTS {@code 3-5} each trace's spans arrive in 3 to 5 records, as the edge writes a
 * trace whose spans came in several requests, interleaved with other traces' fragments up to 100 ms
 * of record time later. Usage: TraceFill BOOTSTRAP TOPIC TRACES SPANS_PER_TRACE [MIN-MAX]
 */
public final class TraceFill {
  private TraceFill() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int traces = Integer.parseInt(args[2]);
    int spansPerTrace = Integer.parseInt(args[3]);
    int minFragments = 1;
    int maxFragments = 1;
    if (args.length > 4) {
      String[] range = args[4].split("-");
      minFragments = Integer.parseInt(range[0]);
      maxFragments = Integer.parseInt(range[range.length - 1]);
    }
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
            // the edge's; -Dotelstream.fill.compression=lz4 compares another codec
            System.getProperty("otelstream.fill.compression", "snappy"),
            "linger.ms",
            "10",
            "batch.size",
            Integer.toString(256 * 1024));
    long start = System.nanoTime();
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      long now = System.currentTimeMillis();
      // Windows of 1,000 traces: every trace's first fragment, then the second ones, and so on.
      int window = 1000;
      for (int w = 0; w < traces; w += window) {
        int n = Math.min(window, traces - w);
        byte[][] ids = new byte[n][];
        java.util.List<java.util.List<byte[]>> fragments = new java.util.ArrayList<>();
        int most = 0;
        for (int i = 0; i < n; i++) {
          int t = w + i;
          ids[i] = ByteBuffer.allocate(16).putLong(random.nextLong() | 1).putLong(t).array();
          int k = minFragments + random.nextInt(maxFragments - minFragments + 1);
          fragments.add(split(trace(ids[i], spansPerTrace, random), k));
          most = Math.max(most, k);
        }
        for (int f = 0; f < most; f++) {
          for (int i = 0; i < n; i++) {
            if (f < fragments.get(i).size()) {
              byte[] value = fragments.get(i).get(f);
              bytes += value.length;
              // Record times as 10,000 traces/s of live traffic would have them; fragments 25 ms
              // apart.
              p.send(
                  new ProducerRecord<>(
                      topic,
                      null,
                      now + (w + i) / 10 + f * 25L,
                      HexFormat.of().formatHex(ids[i]).getBytes(),
                      value));
            }
          }
        }
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

  /** The trace's spans in {@code k} requests (as few as there are spans), in span order. */
  static java.util.List<byte[]> split(byte[] trace, int k) throws Exception {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(trace);
    if (k <= 1) {
      return java.util.List.of(trace);
    }
    ResourceSpans rs = request.getResourceSpans(0);
    java.util.List<Span> spans = rs.getScopeSpans(0).getSpansList();
    int parts = Math.min(k, spans.size());
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (int part = 0; part < parts; part++) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (int s = part; s < spans.size(); s += parts) {
        scope.addSpans(spans.get(s));
      }
      out.add(
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(rs.toBuilder().clearScopeSpans().addScopeSpans(scope))
              .build()
              .toByteArray());
    }
    return out;
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
              // A server span and its database calls: span metrics and service graph have work.
              .setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
              .setStartTimeUnixNano(start + s * 1_000_000L)
              .setEndTimeUnixNano(start + s * 1_000_000L + random.nextInt(50_000_000))
              .addAttributes(
                  OtlpAttributes.string("http.route", "/api/orders/" + random.nextInt(1000)))
              .addAttributes(OtlpAttributes.string("db.system", "postgresql"))
              .addAttributes(
                  OtlpAttributes.string(
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
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(OtlpAttributes.string("service.name", "orders")))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }
}
