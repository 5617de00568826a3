package io.otelstream.streams.it;

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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Synthetic traces written the way the edge writes them: one record per trace per request. */
public final class TraceLoad {
  /** One trace: its ID and whether one of its spans has status ERROR (the kept ones). */
  public record Trace(byte[] id, boolean error, int fragments) {
    public String key() {
      return HexFormat.of().formatHex(id);
    }
  }

  private TraceLoad() {}

  public static List<Trace> traces(int n, double errorShare, int fragments, long seed) {
    Random r = new Random(seed);
    List<Trace> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] id = ByteBuffer.allocate(16).putLong(r.nextLong() | 1).putLong(i).array();
      out.add(new Trace(id, r.nextDouble() < errorShare, fragments));
    }
    return out;
  }

  /** Fragment {@code f} of a trace: one span, span ID f+1, the error on the last fragment. */
  public static byte[] fragment(Trace t, int f) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(t.id()))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(f + 1).array()))
            .setName("op-" + f)
            // The first fragment is the trace's root server span: one service-graph edge per trace
            // (from the virtual node "user").
            .setKind(f == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(1_000_000L * f)
            .setEndTimeUnixNano(1_000_000L * f + 500_000)
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("fragment")
                    .setValue(AnyValue.newBuilder().setIntValue(f)));
    if (t.error() && f == t.fragments() - 1) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(
                                    AnyValue.newBuilder()
                                        .setStringValue("svc-" + (t.id()[15] & 3)))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build()
        .toByteArray();
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "all",
            "enable.idempotence",
            "true",
            "linger.ms",
            "5"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Writes every fragment of every trace, fragment by fragment, with the given record time. */
  static void produce(String bootstrap, String topic, List<Trace> traces, long timestamp)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      int fragments = traces.isEmpty() ? 0 : traces.get(0).fragments();
      for (int f = 0; f < fragments; f++) {
        for (Trace t : traces) {
          p.send(new ProducerRecord<>(topic, null, timestamp, t.key().getBytes(), fragment(t, f)));
        }
      }
      p.flush();
    }
  }

  /** For conditions that read whole topics: checked every 2 s. */
  static void awaitSlowly(java.util.function.BooleanSupplier condition, long seconds) {
    org.awaitility.Awaitility.await()
        .atMost(seconds, TimeUnit.SECONDS)
        .pollInterval(2, TimeUnit.SECONDS)
        .until(condition::getAsBoolean);
  }

  /**
   * Writes the fragments in record-time order as live traffic would: trace i starts at {@code t0} +
   * 5 ms × i, its fragments 1.5 s apart; every tenth trace's last fragment comes {@code late} ms
   * after its first (after its deadline when that is longer than decision_wait).
   */
  public static void produceSpread(
      String bootstrap, String topic, List<Trace> traces, long t0, long late) throws Exception {
    record Fragment(long time, Trace trace, int f) {}
    List<Fragment> all = new ArrayList<>();
    for (int i = 0; i < traces.size(); i++) {
      Trace t = traces.get(i);
      for (int f = 0; f < t.fragments(); f++) {
        boolean isLate = i % 10 == 0 && f == t.fragments() - 1;
        all.add(new Fragment(t0 + 5L * i + (isLate ? late : 1500L * f), t, f));
      }
    }
    all.sort(java.util.Comparator.comparingLong(Fragment::time));
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      for (Fragment f : all) {
        p.send(
            new ProducerRecord<>(
                topic, null, f.time(), f.trace().key().getBytes(), fragment(f.trace(), f.f())));
      }
      p.flush();
    }
  }

  public static void await(java.util.function.BooleanSupplier condition, long seconds) {
    org.awaitility.Awaitility.await()
        .atMost(seconds, TimeUnit.SECONDS)
        .pollInterval(200, TimeUnit.MILLISECONDS)
        .until(condition::getAsBoolean);
  }
}
