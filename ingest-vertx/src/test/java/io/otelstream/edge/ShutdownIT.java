package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.topics.Topic;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stopping the edge under load loses no acknowledged span. */
class ShutdownIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void everyAcknowledgedSpanIsInKafkaAfterShutdownUnderLoad() throws Exception {
    TestEdge edge = TestEdge.start(kafka, "");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<Integer>> senders = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      senders.add(
          clients.submit(
              () -> {
                int failures = 0;
                while (failures < 20) {
                  ByteString[] traces = new ByteString[10];
                  for (int i = 0; i < traces.length; i++) {
                    traces[i] = Otlp.randomTraceId();
                  }
                  try {
                    HttpResponse<byte[]> r =
                        Otlp.post(
                            edge.httpUrl("/v1/traces"),
                            "application/x-protobuf",
                            Otlp.traces(traces).toByteArray());
                    if (r.statusCode() == 200) {
                      for (ByteString t : traces) {
                        acknowledged.add(RecordKeys.traceKeyString(t));
                      }
                    } else {
                      assertThat(r.statusCode()).isEqualTo(503);
                      failures++;
                    }
                  } catch (java.io.IOException e) {
                    failures++; // listener closed
                  }
                }
                return failures;
              }));
    }
    TestEdge.sleepUntil(() -> acknowledged.size() >= 2000, 60);
    edge.close();
    for (Future<Integer> f : senders) {
      f.get(60, TimeUnit.SECONDS);
    }
    clients.shutdown();

    Set<String> stored =
        edge.records(Topic.TRACES).stream()
            .map(r -> new String(r.key(), StandardCharsets.US_ASCII))
            .collect(Collectors.toSet());
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(2000);
    assertThat(stored).containsAll(acknowledged);
  }
}
