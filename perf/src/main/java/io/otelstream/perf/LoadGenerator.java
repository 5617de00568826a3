package io.otelstream.perf;

import io.otelstream.schemas.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends exports of one signal at a target rate of items (or as fast as they are acknowledged) with
 * a fixed number of requests in flight, and records the acknowledgement latency of each.
 */
public final class LoadGenerator {
  private final LoadOptions o;
  private final Signal signal;
  private final ExportTemplates templates;
  private final Recorder latency = new Recorder(3);
  private final AtomicLong okRequests = new AtomicLong();
  private final AtomicLong failedRequests = new AtomicLong();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final AtomicLong nextSlot = new AtomicLong();
  private volatile boolean measuring;
  private volatile boolean stopping;
  // Over the whole run, warmup included: what a test compares with what arrived downstream.
  private final AtomicLong ackedSpans = new AtomicLong();
  private final AtomicLong ackedErrorSpans = new AtomicLong();
  private final AtomicLong failedInAll = new AtomicLong();

  public LoadGenerator(LoadOptions options) {
    this.o = options;
    this.signal = Signal.of(options.signal);
    this.templates = ExportTemplates.of(options);
  }

  /** Summary of one measured run; "spans" are the signal's items (spans, points or logs). */
  public record Result(
      LoadOptions options,
      int requestBytes,
      int spansPerRequest,
      double seconds,
      long okRequests,
      long failedRequests,
      Map<String, Long> failures,
      Histogram latency,
      long acknowledgedSpans,
      long acknowledgedErrorSpans,
      long failedRequestsInAll) {

    public double spansPerSecond() {
      return okRequests * (double) spansPerRequest / seconds;
    }

    public double megabytesPerSecond() {
      return okRequests * (double) requestBytes / seconds / 1e6;
    }

    public double latencyMillis(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e6;
    }

    public String summary() {
      String items = options.itemName();
      return String.format(
          "signal=%s protocol=%s rate_target=%s %s_per_request=%d request_bytes=%d%n"
              + "achieved: %.0f %s/s, %.1f MB/s, %d requests ok, %d rejected %s in %.1fs%n"
              + "ack latency ms: p50=%.2f p99=%.2f p999=%.2f max=%.2f%n"
              + "in all (warmup included): %d %s acknowledged, %d of them errors; %d requests"
              + " failed",
          options.signal,
          options.protocol,
          options.rate == 0 ? "unlimited" : options.rate + " " + items + "/s",
          items,
          spansPerRequest,
          requestBytes,
          spansPerSecond(),
          items,
          megabytesPerSecond(),
          okRequests,
          failedRequests,
          failures,
          seconds,
          latencyMillis(50),
          latencyMillis(99),
          latencyMillis(99.9),
          latency.getMaxValue() / 1e6,
          acknowledgedSpans,
          items,
          acknowledgedErrorSpans,
          failedRequestsInAll);
    }
  }

  public Result run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Sender sender = o.protocol.equals("grpc") ? grpcSender(vertx) : httpSender(vertx);
      CountDownLatch finished = new CountDownLatch(o.concurrency);
      nextSlot.set(System.nanoTime());
      for (int i = 0; i < o.concurrency; i++) {
        SplittableRandom random = new SplittableRandom(i * 7919L + System.nanoTime());
        vertx.runOnContext(v -> loop(vertx, sender, random, finished));
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(o.warmupSeconds));
      latency.reset();
      okRequests.set(0);
      failedRequests.set(0);
      failures.clear();
      measuring = true;
      long start = System.nanoTime();
      Thread.sleep(o.duration().toMillis());
      measuring = false;
      double seconds = (System.nanoTime() - start) / 1e9;
      long ok = okRequests.get();
      long failed = failedRequests.get();
      Histogram h = latency.getIntervalHistogram();
      stopping = true;
      finished.await(60, TimeUnit.SECONDS);
      Map<String, Long> byStatus = new java.util.TreeMap<>();
      failures.forEach((k, v) -> byStatus.put(k, v.get()));
      return new Result(
          o,
          templates.encodedBytes(),
          templates.itemsPerRequest(),
          seconds,
          ok,
          failed,
          byStatus,
          h,
          ackedSpans.get(),
          ackedErrorSpans.get(),
          failedInAll.get());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Sends one body, completes with null on success or a short failure description. */
  private interface Sender {
    Future<String> send(byte[] body);
  }

  private void loop(Vertx vertx, Sender sender, SplittableRandom random, CountDownLatch finished) {
    if (stopping) {
      finished.countDown();
      return;
    }
    long delayNanos = 0;
    if (o.rate > 0) {
      long interval = (long) (1e9 * templates.itemsPerRequest() / o.rate);
      long slot = nextSlot.getAndAdd(interval);
      delayNanos = slot - System.nanoTime();
    }
    if (delayNanos > 1_000_000) {
      vertx.setTimer(delayNanos / 1_000_000, t -> send(vertx, sender, random, finished));
    } else {
      send(vertx, sender, random, finished);
    }
  }

  private void send(Vertx vertx, Sender sender, SplittableRandom random, CountDownLatch finished) {
    ExportTemplates.Body body = templates.next(random);
    long start = System.nanoTime();
    sender
        .send(body.bytes())
        .onComplete(
            ar -> {
              boolean counted = measuring;
              String failure = ar.succeeded() ? ar.result() : ar.cause().getClass().getSimpleName();
              if (failure == null) {
                ackedSpans.addAndGet(templates.itemsPerRequest());
                ackedErrorSpans.addAndGet(body.errorItems());
              } else {
                failedInAll.incrementAndGet();
              }
              if (counted) {
                if (failure == null) {
                  okRequests.incrementAndGet();
                  latency.recordValue(
                      Math.min(System.nanoTime() - start, TimeUnit.MINUTES.toNanos(1)));
                } else {
                  failedRequests.incrementAndGet();
                  failures.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
                }
              }
              loop(vertx, sender, random, finished);
            });
  }

  private Sender grpcSender(Vertx vertx) {
    HttpClientOptions http =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setHttp2MultiplexingLimit(
                Math.max(1, (o.concurrency + o.connections - 1) / o.connections));
    // One pool of HTTP/2 connections; each carries its share of the concurrent streams.
    GrpcClient client =
        GrpcClient.client(
            vertx, vertx.createHttpClient(http, new PoolOptions().setHttp2MaxSize(o.connections)));
    SocketAddress address = SocketAddress.inetSocketAddress(o.port, o.host);
    return body ->
        client
            .request(address)
            .compose(
                req -> {
                  req.fullMethodName(signal.grpcMethod());
                  if (o.token != null) {
                    req.headers().set("authorization", "Bearer " + o.token);
                  }
                  return req.send(Buffer.buffer(body));
                })
            .compose(
                resp -> {
                  resp.handler(b -> {});
                  return resp.end()
                      .transform(
                          ar ->
                              Future.succeededFuture(
                                  resp.status() == GrpcStatus.OK ? null : resp.status().name()));
                });
  }

  private Sender httpSender(Vertx vertx) {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setPipelining(false),
            new PoolOptions().setHttp1MaxSize(o.concurrency));
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(o.host)
            .setPort(o.port)
            .setURI(signal.httpPath())
            .putHeader("Content-Type", "application/x-protobuf");
    if (o.token != null) {
      options.putHeader("Authorization", "Bearer " + o.token);
    }
    return body ->
        client
            .request(options)
            .compose(req -> req.send(Buffer.buffer(body)))
            .compose(
                resp ->
                    resp.body()
                        .map(b -> resp.statusCode() == 200 ? null : "HTTP " + resp.statusCode()));
  }
}
