package io.otelstream.edge;

import com.google.protobuf.Message;
import io.otelstream.schemas.Signal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The transport-independent heart of the edge: bound, decode, split, write to Kafka, answer only
 * after every record is acknowledged. Runs on the calling event loop and never blocks it.
 */
final class ExportService {
  private final Vertx vertx;
  private final KafkaWriter writer;
  private final EdgeMetrics metrics;
  private final EdgeState state;
  private final EdgeConfig.Limits limits;
  private final int maxRecordBytes;
  private final Decoder decoder;
  private final InternalErrors internalErrors = new InternalErrors();

  /** Turns a plain request body into records: ExportCodec; replaceable in tests. */
  @FunctionalInterface
  interface Decoder {
    Batch decode(Signal signal, ExportCodec.Format format, byte[] body, int maxRecordBytes);
  }

  ExportService(
      Vertx vertx,
      KafkaWriter writer,
      EdgeMetrics metrics,
      EdgeState state,
      EdgeConfig.Limits limits,
      int maxRecordBytes) {
    this(vertx, writer, metrics, state, limits, maxRecordBytes, ExportCodec::decode);
  }

  ExportService(
      Vertx vertx,
      KafkaWriter writer,
      EdgeMetrics metrics,
      EdgeState state,
      EdgeConfig.Limits limits,
      int maxRecordBytes,
      Decoder decoder) {
    this.decoder = decoder;
    this.vertx = vertx;
    this.writer = writer;
    this.metrics = metrics;
    this.state = state;
    this.limits = limits;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * @param body the request body as received
   * @param encoding its content encoding (gzip, identity or null)
   * @param reservation the request's in-flight reservation, holding the body already; this call
   *     owns it from here and releases it when the request is answered
   * @return the response message, or a failed future carrying an {@link EdgeError}
   */
  Future<Message> export(
      Signal signal,
      ExportCodec.Format format,
      String encoding,
      byte[] body,
      String tenant,
      Reservation reservation) {
    if (state.draining()) {
      reservation.release();
      return Future.failedFuture(
          new EdgeError(
              EdgeError.Kind.UNAVAILABLE,
              "shutting_down",
              "this edge instance is shutting down; retry"));
    }
    state.requestStarted();
    Future<Batch> decoded;
    if (offloaded(format, encoding, body)) {
      // Inflating up to the decompression limit, or converting OTLP/JSON, would hold the event
      // loop and every connection on it: a worker does it; the answer comes back on this loop.
      decoded =
          vertx
              .getOrCreateContext()
              .executeBlocking(() -> decode(signal, format, encoding, body, reservation), false);
    } else {
      try {
        decoded = Future.succeededFuture(decode(signal, format, encoding, body, reservation));
      } catch (EdgeError e) {
        decoded = Future.failedFuture(e);
      }
    }
    return decoded
        .compose(batch -> write(signal, batch, tenant))
        .andThen(
            ar -> {
              reservation.release();
              state.requestFinished();
            });
  }

  /** As above, for a body nothing was reserved for yet (tests, callers without streaming). */
  Future<Message> export(
      Signal signal, ExportCodec.Format format, String encoding, byte[] body, String tenant) {
    Reservation reservation = new Reservation(state);
    try {
      reservation.reserve(body.length);
    } catch (EdgeError e) {
      return Future.failedFuture(e);
    }
    return export(signal, format, encoding, body, tenant, reservation);
  }

  /** A request's share of the in-flight budget, empty until the transport reserves its body. */
  Reservation newReservation() {
    return new Reservation(state);
  }

  /** Bodies decoded off the event loop: compressed, OTLP/JSON, or larger than a small request. */
  static boolean offloaded(ExportCodec.Format format, String encoding, byte[] body) {
    boolean compressed = encoding != null && !encoding.equalsIgnoreCase("identity");
    return compressed || format == ExportCodec.Format.JSON || body.length > INLINE_DECODE_BYTES;
  }

  /** A protobuf body up to this size is validated and split on the event loop (microseconds). */
  static final int INLINE_DECODE_BYTES = 256 * 1024;

  /**
   * What decoding holds per plain byte, reserved before it starts: the parsed request (about twice
   * its encoded size) and the records written from it.
   */
  static final int DECODE_FACTOR = 3;

  /**
   * Decompresses and decodes, reserving the inflated bytes and the decoding in the request's
   * in-flight budget first; an unexpected exception is the edge's own fault and becomes a retryable
   * internal error.
   */
  private Batch decode(
      Signal signal,
      ExportCodec.Format format,
      String encoding,
      byte[] body,
      Reservation reservation) {
    try {
      byte[] plain =
          Decompression.decode(encoding, body, limits.maxDecompressedBytes().bytes(), reservation);
      if (plain != body) {
        reservation.shrinkTo(reservation.held() - body.length); // the body is garbage now
      }
      reservation.reserve((long) DECODE_FACTOR * plain.length);
      return decoder.decode(signal, format, plain, maxRecordBytes);
    } catch (EdgeError e) {
      throw e;
    } catch (RuntimeException e) {
      // Invalid input is an EdgeError by now; anything else is the edge's own fault, and the
      // client must keep its data and retry rather than be told its request was bad.
      throw internalErrors.report("decoding a " + signal + " export", e);
    }
  }

  private Future<Message> write(Signal signal, Batch batch, String tenant) {
    metrics.itemsReceived(signal, batch.items);
    if (batch.rejected > 0) {
      metrics.itemsRejected(signal, "invalid_item", batch.rejected);
    }
    Context context = vertx.getOrCreateContext();
    Promise<Message> promise = Promise.promise();
    long started = System.nanoTime();
    long timer =
        vertx.setTimer(
            limits.requestTimeout().toMillis(),
            t ->
                promise.tryFail(
                    new EdgeError(
                        EdgeError.Kind.UNAVAILABLE,
                        "produce_timeout",
                        "Kafka did not acknowledge within "
                            + limits.requestTimeout().toMillis()
                            + " ms; retry later")));
    writer
        .write(context, signal, batch.records, tenant)
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.succeeded()) {
                if (promise.tryComplete(ExportCodec.response(signal, batch))) {
                  metrics.produced(signal, System.nanoTime() - started, batch.records.size());
                  metrics.itemsAccepted(signal, batch.accepted());
                }
              } else {
                promise.tryFail(ar.cause());
              }
            });
    return promise
        .future()
        .onFailure(
            e ->
                metrics.itemsRejected(
                    signal, e instanceof EdgeError ee ? ee.reason : "internal", batch.accepted()));
  }
}
