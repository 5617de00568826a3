package io.otelstream.connect.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otelstream.admin.AdminEndpoint;
import io.otelstream.admin.Health;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * A Kafka Connect worker's metrics reporter ({@code metric.reporters}) that serves the sink
 * connectors' metrics in Prometheus format on {@code otelstream.metrics.port} (default 13135,
 * DESIGN's Connect worker port): the sinks' own plugin metrics as {@code otelstream_sink_*}
 * (records, bytes, batches, failures and dead letters by reason, backend latency) and Connect's
 * per-task sink metrics (records read, offset commits, errors) and its sink consumers' fetch
 * metrics (records lag) as {@code kafka_connect_*}, with their {@code connector}, {@code task} or
 * {@code client_id} labels. Worker-wide metrics without a connector, and text-valued ones, are left
 * out. The worker's clients get the same reporter setting, so every instance feeds one registry and
 * one listener per JVM.
 */
public final class PrometheusMetricsReporter implements MetricsReporter {
  public static final String PORT = "otelstream.metrics.port";
  public static final String HOST = "otelstream.metrics.host";

  private static final PrometheusMeterRegistry REGISTRY =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private static final Map<MetricName, Meter> METERS = new ConcurrentHashMap<>();
  private static final HistogramFamilies HISTOGRAMS = new HistogramFamilies();

  /** The worker's "rebalancing" metric, once the worker has joined its group: readiness. */
  private static volatile KafkaMetric rebalancing;

  private boolean ownsRebalancing;

  private static AdminEndpoint server;

  @Override
  public void configure(Map<String, ?> configs) {
    Object port = configs.get(PORT);
    Object host = configs.get(HOST);
    listen(
        host == null ? "0.0.0.0" : host.toString(),
        port == null ? 13135 : Integer.parseInt(port.toString()));
  }

  private static synchronized void listen(String host, int port) {
    if (server != null) {
      return;
    }
    // As the edge and the streams app: live while the worker's JVM serves; ready once the worker
    // has joined its group and is not rebalancing (tasks assigned and running).
    try {
      server =
          AdminEndpoint.forComponent("connect")
              .metrics(names -> AdminEndpoint.scrape(REGISTRY, names) + HISTOGRAMS.scrape(names))
              .ready(
                  () -> {
                    String state = workerState();
                    return Health.of(state.equals("running"), state);
                  })
              .listen(host, port);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "cannot serve Connect metrics on " + host + ":" + port + " (" + PORT + ")", e.getCause());
    }
    // The worker's process, as the edge and the streams app serve theirs: restarts and memory.
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(REGISTRY);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(REGISTRY);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(REGISTRY);
  }

  /** "running", "rebalancing", or "joining" (the worker has no group membership yet). */
  static String workerState() {
    KafkaMetric m = rebalancing;
    if (m == null) {
      return "joining";
    }
    Object v;
    try {
      v = m.metricValue();
    } catch (RuntimeException e) {
      return "joining";
    }
    boolean busy = v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
    return busy ? "rebalancing" : "running";
  }

  /** The port metrics are served on, or -1 before the first reporter was configured. */
  public static synchronized int port() {
    return server == null ? -1 : server.port();
  }

  @Override
  public void init(List<KafkaMetric> metrics) {
    metrics.forEach(this::metricChange);
  }

  @Override
  public void metricChange(KafkaMetric metric) {
    MetricName n = metric.metricName();
    if (n.name().equals("rebalancing") && n.group().equals("connect-worker-rebalance-metrics")) {
      rebalancing = metric;
      ownsRebalancing = true; // this instance is the worker's own reporter
    }
    if (!served(n) || METERS.containsKey(n) || !numeric(metric)) {
      return; // worker-wide, already served, or a text value (a class name, a version, a state)
    }
    String name = meterName(n);
    if (HISTOGRAMS.add(name, metric)) {
      return; // a histogram's bucket or sum: Micrometer cannot serve raw buckets
    }
    List<Tag> tags = new ArrayList<>();
    n.tags().forEach((k, v) -> tags.add(Tag.of(k.replace('-', '_'), v)));
    Meter meter =
        n.name().endsWith("-total")
            ? FunctionCounter.builder(name, metric, PrometheusMetricsReporter::value)
                .description(n.description())
                .tags(tags)
                .register(REGISTRY)
            : Gauge.builder(name, metric, PrometheusMetricsReporter::value)
                .description(n.description())
                .tags(tags)
                .register(REGISTRY);
    METERS.put(n, meter);
  }

  /** Metrics of a connector or task, and the lag of the connectors' consumers. */
  static boolean served(MetricName n) {
    String client = n.tags().getOrDefault("client-id", "");
    return n.tags().containsKey("connector")
        || n.group().equals("consumer-fetch-manager-metrics")
            && client.startsWith("connector-consumer-");
  }

  /** otelstream_sink_* for the sinks' plugin metrics, kafka_connect_<group>_* for Connect's. */
  static String meterName(MetricName n) {
    String base =
        n.name().endsWith("-total") ? n.name().substring(0, n.name().length() - 6) : n.name();
    String prefix =
        n.tags().containsKey("signal") ? "otelstream.sink." : "kafka.connect." + n.group() + ".";
    return (prefix + base).replace('-', '.');
  }

  /**
   * Whether the metric has a number for a value. Reading it may throw while its owner is still
   * being built (Connect's task state is read before the task has one): such a metric is text.
   */
  private static boolean numeric(KafkaMetric m) {
    try {
      return m.metricValue() instanceof Number;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The metric's number, or NaN for a text value or while its owner starts or stops. */
  static double value(KafkaMetric m) {
    try {
      Object v = m.metricValue();
      return v instanceof Number number ? number.doubleValue() : Double.NaN;
    } catch (RuntimeException e) {
      return Double.NaN; // the owner is starting or stopping
    }
  }

  @Override
  public void metricRemoval(KafkaMetric metric) {
    if (metric == rebalancing) {
      rebalancing = null;
    }
    HISTOGRAMS.remove(metric);
    Meter meter = METERS.remove(metric.metricName());
    if (meter != null) {
      REGISTRY.remove(meter);
    }
  }

  @Override
  public void close() {
    if (ownsRebalancing) {
      rebalancing = null; // the worker stopped (its metrics are closed without removals)
    }
    // Shared by every reporter instance of the worker: the listener lives as long as the JVM.
  }
}
