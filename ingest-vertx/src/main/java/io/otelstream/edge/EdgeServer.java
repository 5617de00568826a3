package io.otelstream.edge;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.otelstream.admin.AdminEndpoint;
import io.otelstream.config.EffectiveConfig;
import io.otelstream.schemas.Signal;
import io.otelstream.schemas.metrics.MetricNames;
import io.otelstream.topics.TopicCatalog;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running edge: OTLP/gRPC and OTLP/HTTP listeners on every event loop, the admin listener, one
 * shared idempotent producer. {@link #close()} drains: new requests get 503, in-flight ones finish,
 * the producer flushes.
 */
public final class EdgeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

  private final EdgeConfig config;
  private final EdgeState state;
  private final Vertx vertx;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaReadiness readiness;
  private KafkaClientMetrics producerMetrics;
  private final int grpcPort;
  private final int httpPort;
  private final int adminPort;
  private AdminEndpoint admin;
  private boolean closed;

  private EdgeServer(EdgeConfig config) {
    this.config = config;
    this.state = new EdgeState(config.limits().maxInflightBytes().bytes());
    TopicCatalog catalog = new TopicCatalog(config.topics());
    Map<Signal, String> topics = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      topics.put(s, catalog.name(io.otelstream.topics.Topic.raw(s)));
    }
    Map<String, Object> producerProps = config.producerProperties();
    CompressionCheck.require(producerProps.get("compression.type"));
    this.producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    this.readiness = new KafkaReadiness(producerProps, topics.values(), state);
    try {
      int maxRecordBytes =
          readiness.awaitStartup(
              producer,
              Duration.ofSeconds(60),
              Integer.parseInt(producerProps.get("max.request.size").toString()));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
      // The producer's own view (kafka_producer_*): produce requests and records per request,
      // request latency, buffer left, errors and retries; what the edge's counters cannot show.
      producerMetrics = new KafkaClientMetrics(producer);
      producerMetrics.bindTo(registry);
      io.micrometer.core.instrument.Gauge.builder(
              MetricNames.EDGE_READY.name(), state, s -> s.ready() ? 1 : 0)
          .description(
              "1 while /health/ready answers 200 (Kafka reachable, topics present, not draining)")
          .register(registry);
      EdgeMetrics metrics =
          new EdgeMetrics(registry, state::inflightBytes, state::inflightRequests);
      this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
      KafkaWriter writer = new KafkaWriter(producer, topics);
      ExportService exports =
          new ExportService(vertx, writer, metrics, state, config.limits(), maxRecordBytes);
      Authenticator auth = new Authenticator(config.auth().tokens());
      if (config.auth().tokensFile() != null) {
        new TokensReloader(java.nio.file.Path.of(config.auth().tokensFile()), auth, registry)
            .start(vertx, config.auth().reloadInterval());
      }
      this.grpcPort = resolve(config.grpc().port());
      this.httpPort = resolve(config.http().port());
      EdgeVerticle.Ports ports = new EdgeVerticle.Ports(grpcPort, httpPort);
      await(
          vertx.deployVerticle(
              () ->
                  new EdgeVerticle(
                      config,
                      ports,
                      new GrpcTransport(exports, auth, metrics, config.limits()),
                      new HttpTransport(
                          exports, auth, metrics, new Cors(config.cors()), config.limits()),
                      metrics::connectionAged),
              new DeploymentOptions().setInstances(config.eventLoops())));
      // Off the event loops: a scrape or a probe never waits behind export requests.
      // Bound at once, so port 0 (tests) needs no free-port guess.
      this.admin =
          AdminEndpoint.forComponent("edge")
              .metrics(registry)
              .ready(state::health)
              .listen(config.admin().host(), config.admin().port());
      this.adminPort = admin.port();
      readiness.startPolling(vertx);
      LOG.info("edge configuration (secrets masked): {}", EffectiveConfig.describe(config));
      LOG.info(
          "edge listening: OTLP/gRPC {}:{}, OTLP/HTTP {}:{}, admin {}:{}; records up to {} bytes; Kafka {}",
          config.grpc().host(),
          grpcPort,
          config.http().host(),
          httpPort,
          config.admin().host(),
          adminPort,
          maxRecordBytes,
          producerProps.get("bootstrap.servers"));
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      if (producerMetrics != null) {
        producerMetrics.close();
      }
      readiness.close();
      throw e;
    }
  }

  /** Starts the edge; returns once every listener accepts connections. */
  public static EdgeServer start(EdgeConfig config) {
    return new EdgeServer(config);
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int adminPort() {
    return adminPort;
  }

  /** Drains and stops within the configured shutdown timeout. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    state.startDraining();
    LOG.info("edge draining: {} requests in flight", state.inflightRequests());
    while (state.inflightRequests() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (state.inflightRequests() > 0) {
      LOG.warn(
          "edge shutdown timeout: {} requests still waiting for Kafka; they were not acknowledged",
          state.inflightRequests());
    }
    try {
      vertx
          .close()
          .await(
              Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
              TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("event loops did not stop cleanly: {}", e.toString());
    }
    producer.flush();
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    producerMetrics.close();
    readiness.close();
    admin.close();
    LOG.info("edge stopped");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("edge failed to start: " + e.getMessage(), e);
    }
  }

  private static int resolve(int port) {
    if (port != 0) {
      return port;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
