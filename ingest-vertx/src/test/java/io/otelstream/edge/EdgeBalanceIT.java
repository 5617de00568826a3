package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.otelstream.kafka.KafkaBroker;
import io.otelstream.topics.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two edges behind a TCP round-robin proxy (as an L4 cloud load balancer) and one long-lived
 * OTLP/gRPC client, the real Java SDK's exporter: with a maximum connection age the client's
 * connection is ended by GOAWAY, it reconnects through the proxy, and its spans reach both edges,
 * with no failed export.
 */
class EdgeBalanceIT {
  @RegisterExtension static KafkaBroker kafka = new KafkaBroker();

  @Test
  void aLongLivedGrpcClientReachesAnEdgeAddedBehindTheBalancer() throws Exception {
    String aging = "connections: {max_age: 1500ms, max_age_grace: 5s}\n";
    try (TestEdge a = TestEdge.start(kafka, aging);
        TestEdge b = TestEdge.start(kafka, aging);
        RoundRobinProxy proxy =
            new RoundRobinProxy(List.of(a.server.grpcPort(), b.server.grpcPort()))) {
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger exported = new AtomicInteger();
      OtlpGrpcSpanExporter grpc =
          OtlpGrpcSpanExporter.builder().setEndpoint("http://localhost:" + proxy.port()).build();
      SpanExporter counting =
          new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
              CompletableResultCode r = grpc.export(spans).join(10, TimeUnit.SECONDS);
              (r.isSuccess() ? exported : failed).incrementAndGet();
              return r;
            }

            @Override
            public CompletableResultCode flush() {
              return grpc.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
              return grpc.shutdown();
            }
          };
      try (SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(counting))
              .build()) {
        var tracer = provider.get("balance");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (a.count(Topic.TRACES) == 0 || b.count(Topic.TRACES) == 0) {
          assertThat(System.nanoTime())
              .as(
                  "spans reach both edges (a: %d, b: %d)",
                  a.count(Topic.TRACES), b.count(Topic.TRACES))
              .isLessThan(deadline);
          tracer.spanBuilder("op").startSpan().end();
          Thread.sleep(100);
        }
        provider.forceFlush().join(10, TimeUnit.SECONDS);
      }
      assertThat(proxy.connections()).as("connections through the balancer").isGreaterThan(1);
      assertThat(failed.get()).as("failed exports").isZero();
      assertThat(exported.get()).isPositive();
    }
  }

  /** Each new connection to the next backend, bytes copied both ways. */
  static final class RoundRobinProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0);
    private final List<Integer> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final Thread acceptor;

    RoundRobinProxy(List<Integer> backends) throws IOException {
      this.backends = backends;
      acceptor = new Thread(this::accept, "round-robin-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int connections() {
      return next.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          int backend = backends.get(next.getAndIncrement() % backends.size());
          Socket upstream = new Socket("localhost", backend);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private static void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  try {
                    from.close();
                    to.close();
                  } catch (IOException ignored) {
                    // closing anyway
                  }
                }
              },
              "proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
