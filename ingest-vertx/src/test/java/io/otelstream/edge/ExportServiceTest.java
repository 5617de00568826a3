package io.otelstream.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otelstream.schemas.Signal;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DESIGN.md's error table: an edge bug is retryable, invalid input is the client's fault. */
class ExportServiceTest {
  private final Vertx vertx = Vertx.vertx();
  private final EdgeState state = new EdgeState(1 << 20);
  private final EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry(), () -> 0, () -> 0);

  @AfterEach
  void close() {
    vertx.close();
  }

  private ExportService service(ExportService.Decoder decoder) {
    return new ExportService(
        vertx, null, metrics, state, EdgeConfig.defaults().limits(), 1 << 20, decoder);
  }

  private EdgeError failure(ExportService s, byte[] body) {
    var f = s.export(Signal.TRACES, ExportCodec.Format.PROTOBUF, null, body, null);
    assertThat(f.failed()).as("answered at once, without Kafka").isTrue();
    assertThat(f.cause()).isInstanceOf(EdgeError.class);
    return (EdgeError) f.cause();
  }

  @Test
  void anUnexpectedErrorInsideTheEdgeAsksTheClientToRetry() {
    EdgeError e =
        failure(
            service(
                (signal, format, body, max) -> {
                  throw new IllegalStateException("a bug in the edge");
                }),
            new byte[] {10, 0});
    assertThat(e.kind).isEqualTo(EdgeError.Kind.UNAVAILABLE);
    assertThat(e.kind.httpStatus).isEqualTo(503);
    assertThat(e.kind.grpcCode).isEqualTo(14); // UNAVAILABLE
    assertThat(e.kind.retryable()).isTrue();
    assertThat(e.reason).isEqualTo("internal");
    assertThat(e.getMessage()).contains("not a fault of the request", "retry");
    assertThat(state.inflightBytes()).as("the request's bytes are released").isZero();
  }

  /** Decodes nothing; remembers the thread it ran on. */
  private static ExportService.Decoder recordingThread(
      java.util.concurrent.atomic.AtomicReference<String> thread) {
    return (signal, format, body, max) -> {
      thread.set(Thread.currentThread().getName());
      throw new EdgeError(EdgeError.Kind.INVALID, "invalid_protobuf", "stop here");
    };
  }

  @Test
  void compressedJsonAndLargeBodiesAreDecodedOffTheEventLoop() throws Exception {
    var thread = new java.util.concurrent.atomic.AtomicReference<String>();
    ExportService s = service(recordingThread(thread));
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(new byte[] {10, 0});
    }
    s.export(Signal.TRACES, ExportCodec.Format.PROTOBUF, "gzip", gz.toByteArray(), null)
        .toCompletionStage()
        .handle((r, e) -> e)
        .toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(thread.get()).startsWith("vert.x-worker-thread");
    s.export(
            Signal.TRACES,
            ExportCodec.Format.PROTOBUF,
            null,
            new byte[ExportService.INLINE_DECODE_BYTES + 1],
            null)
        .toCompletionStage()
        .handle((r, e) -> e)
        .toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(thread.get()).startsWith("vert.x-worker-thread");
    // A small plain protobuf request costs microseconds: decoded where it arrived.
    s.export(Signal.TRACES, ExportCodec.Format.PROTOBUF, null, new byte[] {10, 0}, null);
    assertThat(thread.get()).isEqualTo(Thread.currentThread().getName());
    assertThat(state.inflightBytes()).isZero();
  }

  @Test
  void invalidInputIsStillTheClientsFault() {
    EdgeError e = failure(service(ExportCodec::decode), new byte[] {(byte) 0xff, (byte) 0xff});
    assertThat(e.kind).isEqualTo(EdgeError.Kind.INVALID);
    assertThat(e.kind.httpStatus).isEqualTo(400);
    assertThat(e.kind.retryable()).isFalse();
  }
}
