package io.otelstream.perf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.schemas.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The sink end of the pipeline benchmark: an OTLP/HTTP receiver (protobuf, gzip or not) that
 * decodes every export, counts its spans, data points and log records, and records how long after
 * its timestamp each item arrived (the load generator times items at the send, so this is the
 * end-to-end latency, for aggregated metric points from the time the aggregation stage gave them).
 * POST .../v1/traces, .../v1/metrics, .../v1/logs (any prefix: the Tempo, Mimir and Loki sinks'
 * OTLP paths and the Collector's otlphttp exporter all land here); GET /counts reports, GET /reset
 * clears. Usage: CountingReceiver PORT
 */
public final class CountingReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Map<Signal, AtomicLong> items = new EnumMap<>(Signal.class);
  private final Map<Signal, AtomicLong> requests = new EnumMap<>(Signal.class);
  private final Map<Signal, Histogram> latencyMs = new EnumMap<>(Signal.class);
  private final AtomicLong refused = new AtomicLong();

  public CountingReceiver(int port) throws IOException {
    for (Signal s : Signal.values()) {
      items.put(s, new AtomicLong());
      requests.put(s, new AtomicLong());
      latencyMs.put(s, new ConcurrentHistogram(TimeUnit.HOURS.toMillis(1), 3));
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public static void main(String[] args) throws Exception {
    CountingReceiver receiver = new CountingReceiver(Integer.parseInt(args[0]));
    System.out.println("counting receiver on " + receiver.port());
    Thread.currentThread().join();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      answer(ex);
    }
  }

  private void answer(HttpExchange ex) throws IOException {
    try {
      // Read whole before any answer: a body left unread breaks the kept-alive connection.
      byte[] raw = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      if (ex.getRequestMethod().equals("GET")) {
        if (path.equals("/reset")) {
          reset();
        }
        reply(ex, 200, "text/plain", report().getBytes(StandardCharsets.UTF_8));
        return;
      }
      Signal signal = signal(path);
      if (signal == null) {
        refused.incrementAndGet();
        reply(
            ex, 404, "text/plain", ("no OTLP signal at " + path).getBytes(StandardCharsets.UTF_8));
        return;
      }
      String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.startsWith("application/x-protobuf")) {
        refused.incrementAndGet();
        reply(
            ex, 415, "text/plain", ("protobuf only, was " + type).getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body;
      try (InputStream in = decoded(new java.io.ByteArrayInputStream(raw), encoding)) {
        body = in.readAllBytes();
      }
      long now = System.currentTimeMillis();
      count(signal, body, now);
      reply(ex, 200, "application/x-protobuf", new byte[0]);
    } catch (RuntimeException | IOException e) {
      refused.incrementAndGet();
      reply(ex, 400, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static InputStream decoded(InputStream in, String encoding) throws IOException {
    if (encoding == null || encoding.equals("identity")) {
      return in;
    }
    if (encoding.equals("gzip")) {
      return new GZIPInputStream(in);
    }
    throw new IOException("unsupported Content-Encoding " + encoding);
  }

  private static Signal signal(String path) {
    for (Signal s : Signal.values()) {
      if (path.endsWith(s.httpPath())) {
        return s;
      }
    }
    return null;
  }

  private void count(Signal signal, byte[] body, long nowMs) throws IOException {
    Histogram h = latencyMs.get(signal);
    long n = 0;
    switch (signal) {
      case TRACES -> {
        for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span s : ss.getSpansList()) {
              record(h, nowMs, s.getStartTimeUnixNano());
              n++;
            }
          }
        }
      }
      case METRICS -> {
        for (ResourceMetrics rm :
            ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList()) {
          for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            for (Metric m : sm.getMetricsList()) {
              n += points(m, h, nowMs);
            }
          }
        }
      }
      case LOGS -> {
        for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(body).getResourceLogsList()) {
          for (ScopeLogs sl : rl.getScopeLogsList()) {
            for (LogRecord r : sl.getLogRecordsList()) {
              record(h, nowMs, r.getTimeUnixNano());
              n++;
            }
          }
        }
      }
    }
    items.get(signal).addAndGet(n);
    requests.get(signal).incrementAndGet();
  }

  private static long points(Metric m, Histogram h, long nowMs) {
    return switch (m.getDataCase()) {
      case SUM -> numbers(m.getSum().getDataPointsList(), h, nowMs);
      case GAUGE -> numbers(m.getGauge().getDataPointsList(), h, nowMs);
      // Counted, not timed: the load generator sends number points only.
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  private static long numbers(java.util.List<NumberDataPoint> points, Histogram h, long nowMs) {
    for (NumberDataPoint p : points) {
      record(h, nowMs, p.getTimeUnixNano());
    }
    return points.size();
  }

  private static void record(Histogram h, long nowMs, long itemNanos) {
    long ms = nowMs - itemNanos / 1_000_000L;
    if (itemNanos > 0 && ms >= 0 && ms <= h.getHighestTrackableValue()) {
      h.recordValue(ms);
    }
  }

  private synchronized void reset() {
    for (Signal s : Signal.values()) {
      items.get(s).set(0);
      requests.get(s).set(0);
      latencyMs.get(s).reset();
    }
    refused.set(0);
  }

  /**
   * One line per signal: "traces items=N requests=M timed=T p50_ms=… p99_ms=… max_ms=…" (T: the
   * items whose timestamp lay within the last hour, the ones the latency is measured over), then
   * the refused requests.
   */
  public String report() {
    StringBuilder sb = new StringBuilder();
    for (Signal s : Signal.values()) {
      Histogram h = latencyMs.get(s);
      sb.append(
          String.format(
              "%s items=%d requests=%d timed=%d p50_ms=%d p99_ms=%d max_ms=%d%n",
              s.key(),
              items.get(s).get(),
              requests.get(s).get(),
              h.getTotalCount(),
              h.getValueAtPercentile(50),
              h.getValueAtPercentile(99),
              h.getMaxValue()));
    }
    sb.append("refused requests=").append(refused.get()).append('\n');
    return sb.toString();
  }

  private static void reply(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
