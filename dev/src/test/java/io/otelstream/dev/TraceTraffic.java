package io.otelstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

/**
 * Steady OTLP/HTTP load for pipeline fault tests: each request one trace of {@link #SPANS} spans,
 * every other one marked {@code verdict=keep-me} (what the tests' policy keeps). It remembers what
 * was sent, what was acknowledged, and checks the sampled output against it.
 */
final class TraceTraffic implements AutoCloseable {
  static final int SPANS = 3;

  /** The tail-sampling policy the traffic is made for. */
  static final String POLICY =
      "    - {name: keep, type: string_attribute,"
          + " string_attribute: {key: verdict, values: [keep-me]}}\n";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Set<String> sentKept = ConcurrentHashMap.newKeySet();
  final Set<String> sentDropped = ConcurrentHashMap.newKeySet();
  final Set<String> ackedKept = ConcurrentHashMap.newKeySet();
  final Set<String> acked = ConcurrentHashMap.newKeySet();
  final AtomicInteger ok = new AtomicInteger();
  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger other = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> clients = new ArrayList<>();

  TraceTraffic(String url, int clientCount) {
    for (int c = 0; c < clientCount; c++) {
      Thread t = new Thread(() -> send(url), "client-" + c);
      t.start();
      clients.add(t);
    }
  }

  /** Waits until {@code counter} grew by {@code more}. */
  static void awaitMore(AtomicInteger counter, int more) {
    int target = counter.get() + more;
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> counter.get() >= target);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : clients) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private void send(String url) {
    while (running.get()) {
      byte[] id = new byte[16];
      ThreadLocalRandom.current().nextBytes(id);
      String hex = HexFormat.of().formatHex(id);
      boolean keep = ThreadLocalRandom.current().nextBoolean();
      (keep ? sentKept : sentDropped).add(hex);
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(trace(id, keep)))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          ok.incrementAndGet();
          acked.add(hex);
          if (keep) {
            ackedKept.add(hex);
          }
        } else if (r.statusCode() == 503) {
          unavailable.incrementAndGet();
          Thread.sleep(200);
        } else {
          other.incrementAndGet();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        other.incrementAndGet();
      }
    }
  }

  private static byte[] trace(byte[] traceId, boolean keep) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < SPANS; i++) {
      byte[] spanId = new byte[8];
      ThreadLocalRandom.current().nextBytes(spanId);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(spanId))
              .setName("op-" + i)
              .setStartTimeUnixNano(now)
              .setEndTimeUnixNano(now + 1_000_000L)
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("verdict")
                      .setValue(
                          AnyValue.newBuilder().setStringValue(keep ? "keep-me" : "drop-me"))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("failover"))))
                .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  /** Span IDs (hex) by trace ID (hex) in a topic's records, a span as often as it occurs. */
  static Map<String, List<String>> spansByTrace(List<ConsumerRecord<byte[], byte[]>> records)
      throws Exception {
    Map<String, List<String>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      for (ResourceSpans rs :
          ExportTraceServiceRequest.parseFrom(r.value()).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            out.computeIfAbsent(
                    HexFormat.of().formatHex(s.getTraceId().toByteArray()), k -> new ArrayList<>())
                .add(HexFormat.of().formatHex(s.getSpanId().toByteArray()));
          }
        }
      }
    }
    return out;
  }

  /**
   * The sampled output holds every acknowledged kept trace (the caller awaited that), only traces
   * that were sent and kept, and each of their spans exactly once.
   */
  void assertKeptExactlyOnce(Map<String, List<String>> spansByTrace, String topic) {
    assertThat(other.get()).as("answers other than 200 and 503").isZero();
    assertThat(spansByTrace.keySet())
        .as("acknowledged kept traces in %s", topic)
        .containsAll(ackedKept);
    assertThat(sentDropped)
        .as("dropped traces in %s", topic)
        .doesNotContainAnyElementsOf(spansByTrace.keySet());
    assertThat(sentKept).as("only traces that were sent").containsAll(spansByTrace.keySet());
    spansByTrace.forEach(
        (trace, spans) -> {
          assertThat(spans).as("spans of %s, each exactly once", trace).hasSize(SPANS);
          assertThat(new HashSet<>(spans)).as("distinct spans of %s", trace).hasSize(SPANS);
        });
  }
}
