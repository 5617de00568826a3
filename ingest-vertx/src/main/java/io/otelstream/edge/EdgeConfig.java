package io.otelstream.edge;

import io.otelstream.config.ByteSize;
import io.otelstream.config.GuardedProperties;
import io.otelstream.topics.TopicsConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge's configuration, read from YAML (see the module README for every key). Omitted keys take
 * the documented defaults; invalid values fail with the key and the reason.
 *
 * @param grpc OTLP/gRPC listener (default 0.0.0.0:4317)
 * @param http OTLP/HTTP listener (default 0.0.0.0:4318)
 * @param admin health and metrics listener (default 0.0.0.0:13133)
 * @param tls TLS for the gRPC and HTTP listeners (default off)
 * @param auth bearer tokens and their tenants (default none: no authentication)
 * @param cors browser origins allowed on the HTTP listener (default none)
 * @param limits request, decompression and in-flight bounds, timeouts
 * @param eventLoops event-loop threads serving requests (default: available processors)
 * @param shutdownTimeout how long shutdown waits for in-flight requests and the producer flush
 * @param kafka producer properties passed unchanged to the Kafka client, over the edge's defaults
 * @param topics topic names (same shape as the topics tool's file)
 * @param allowUnsafeKafkaOverrides lets {@code kafka} change {@code acks}, {@code
 *     enable.idempotence} or {@code max.block.ms}, which the edge's guarantees rest on (default
 *     false: such an override fails at startup)
 */
public record EdgeConfig(
    Listener grpc,
    Listener http,
    Listener admin,
    Tls tls,
    Auth auth,
    Cors cors,
    Limits limits,
    Integer eventLoops,
    Duration shutdownTimeout,
    Map<String, String> kafka,
    TopicsConfig topics,
    Boolean allowUnsafeKafkaOverrides,
    Connections connections) {

  /** The producer properties the edge's guarantees rest on. */
  static final Map<String, GuardedProperties.Guard> GUARDED =
      Map.of(
          "acks",
          new GuardedProperties.Guard(
              "all", "the edge answers success only once every in-sync replica has the record"),
          "enable.idempotence",
          new GuardedProperties.Guard(
              "true", "without it a retried send can duplicate or reorder records"),
          "max.block.ms",
          new GuardedProperties.Guard(
              "0", "the producer is called on event loops, which must never block"));

  public EdgeConfig {
    grpc = grpc != null ? grpc.withDefaults(4317) : new Listener(null, 4317);
    http = http != null ? http.withDefaults(4318) : new Listener(null, 4318);
    admin = admin != null ? admin.withDefaults(13133) : new Listener(null, 13133);
    tls = tls != null ? tls : new Tls(null, null, null);
    auth = auth != null ? auth : new Auth(null, null, null);
    cors = cors != null ? cors : new Cors(null, null, null);
    limits = limits != null ? limits : new Limits(null, null, null, null, null, null);
    eventLoops = eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
    if (eventLoops < 1) {
      throw new IllegalArgumentException("event_loops must be at least 1, was " + eventLoops);
    }
    shutdownTimeout = shutdownTimeout != null ? shutdownTimeout : Duration.ofSeconds(30);
    kafka = kafka != null ? Map.copyOf(kafka) : Map.of();
    topics = topics != null ? topics : TopicsConfig.defaults();
    allowUnsafeKafkaOverrides = allowUnsafeKafkaOverrides != null && allowUnsafeKafkaOverrides;
    connections = connections != null ? connections : new Connections(null, null, null, null);
    GuardedProperties.check("kafka", kafka, GUARDED, allowUnsafeKafkaOverrides);
  }

  public static EdgeConfig defaults() {
    return new EdgeConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** This configuration with one Kafka client property replaced, e.g. the bootstrap servers. */
  public EdgeConfig withKafkaProperty(String key, String value) {
    Map<String, String> k = new LinkedHashMap<>(kafka);
    k.put(key, value);
    return with(k, topics);
  }

  /** This configuration with other topic settings. */
  public EdgeConfig withTopics(TopicsConfig other) {
    return with(kafka, other);
  }

  private EdgeConfig with(Map<String, String> kafka, TopicsConfig topics) {
    return new EdgeConfig(
        grpc,
        http,
        admin,
        tls,
        auth,
        cors,
        limits,
        eventLoops,
        shutdownTimeout,
        kafka,
        topics,
        allowUnsafeKafkaOverrides,
        connections);
  }

  /** The producer properties: the edge's safe defaults overlaid with the configured ones. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", "localhost:9092");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    // Snappy, not lz4: the Java client's lz4 stream allocates (and the JVM zeroes) two 64 KiB
    // buffers for every batch, and a request's records go to a batch per partition, a record or
    // two each at moderate rates; snappy-java reuses its buffers. Same bytes on disk (119 against
    // 116 per span at 50k spans/s); edge + broker 5.8-6.1 against 7.4 CPU-s per million spans
    // (perf/RESULTS.md, #24, eighth session). The raw topics keep the producer's compression.
    p.put("compression.type", "snappy");
    // Adaptive batching, as the Collector's franz-go producer does it: one produce request in
    // flight; records arriving meanwhile ride the next one. A millisecond's linger lets a
    // request's records (one per trace, on many partitions) go out in one produce request: with
    // none, the producer's thread woke at a request's first record and sent it nearly alone, the
    // rest a round trip later. At 50k spans/s, in two pairs of runs, edge + broker went from 11.3
    // to 9.0 and from 7.7 to 6.8 CPU-s per million spans (the broker most), the ack p99 from 15 to
    // 9 and from 7.0 to 6.6 ms, and the p50 up by 0.7-0.9 ms (perf/RESULTS.md, #24, seventh
    // session); 2 ms saved nothing more.
    p.put("linger.ms", "1");
    p.put("max.in.flight.requests.per.connection", "1");
    p.put("batch.size", Integer.toString(256 * 1024));
    p.put("buffer.memory", Long.toString(64L << 20));
    p.put("max.request.size", Integer.toString(2 << 20));
    // Never block an event loop: a full buffer or unknown topic fails the send at once (503).
    p.put("max.block.ms", "0");
    // Topic metadata is fetched at startup; keep it so max.block.ms=0 never meets a cold cache.
    p.put("metadata.max.idle.ms", Long.toString(Duration.ofDays(1).toMillis()));
    p.put("delivery.timeout.ms", "30000");
    p.put("request.timeout.ms", "10000");
    p.put("client.id", "otelstream-edge");
    p.putAll(kafka);
    return p;
  }

  /**
   * How long a client connection may live. Behind a load balancer (L4, or L7 passing HTTP/2
   * through), a gRPC client keeps one connection for hours, so edge pods added later would get no
   * traffic from it; after {@code max_age} (±10% jitter, so connections of one moment do not all
   * move at once) the edge sends GOAWAY (HTTP/2) or closes after the current request (HTTP/1.1),
   * and the client reconnects, through the balancer, to any pod. Requests in flight get {@code
   * max_age_grace} to finish. The Collector's and grpc-go's {@code max_connection_age} and {@code
   * max_connection_age_grace}.
   *
   * @param maxAge default 2m; 0 keeps connections for ever
   * @param maxAgeGrace default 30s
   */
  public record Connections(
      Duration maxAge, Duration maxAgeGrace, Duration idleTimeout, Integer maxConcurrentStreams) {
    public Connections {
      maxAge = maxAge != null ? maxAge : Duration.ofMinutes(2);
      maxAgeGrace = maxAgeGrace != null ? maxAgeGrace : Duration.ofSeconds(30);
      idleTimeout = idleTimeout != null ? idleTimeout : Duration.ofMinutes(5);
      maxConcurrentStreams = maxConcurrentStreams != null ? maxConcurrentStreams : 100;
      if (maxAge.isNegative() || maxAgeGrace.isNegative() || idleTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "max_age, max_age_grace and idle_timeout must not be negative");
      }
      if (maxConcurrentStreams < 1) {
        throw new IllegalArgumentException("max_concurrent_streams must be at least 1");
      }
    }
  }

  /** A listening address. */
  public record Listener(String host, Integer port) {
    public Listener {
      host = host != null ? host : "0.0.0.0";
      if (port != null && (port < 0 || port > 65535)) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
    }

    Listener withDefaults(int defaultPort) {
      return new Listener(host, port != null ? port : defaultPort);
    }
  }

  /**
   * TLS for both OTLP listeners, with PEM files as the Collector takes them.
   *
   * @param certFile server certificate chain (PEM); setting it turns TLS on
   * @param keyFile server private key (PEM)
   * @param clientCaFile CA bundle (PEM); setting it requires client certificates (mTLS)
   */
  public record Tls(String certFile, String keyFile, String clientCaFile) {
    public Tls {
      if ((certFile == null) != (keyFile == null)) {
        throw new IllegalArgumentException("cert_file and key_file must be set together");
      }
      if (clientCaFile != null && certFile == null) {
        throw new IllegalArgumentException("client_ca_file (mTLS) needs cert_file and key_file");
      }
    }

    public boolean enabled() {
      return certFile != null;
    }
  }

  /**
   * Bearer-token authentication. With no tokens, requests are not authenticated and carry no
   * tenant.
   */
  /**
   * Bearer tokens: listed here, and/or in {@code tokens_file} (one {@code tenant token} pair per
   * line, {@code #} comments; a mounted Kubernetes Secret), which is read again every {@code
   * reload_interval} so a rotated token takes effect without a restart. A file that cannot be read
   * or parsed at startup fails it; later, the tokens in force stay and the failure is logged and
   * counted.
   *
   * @param reloadInterval default 10s
   */
  public record Auth(List<Token> tokens, String tokensFile, Duration reloadInterval) {
    public Auth {
      tokens = tokens != null ? List.copyOf(tokens) : List.of();
      reloadInterval = reloadInterval != null ? reloadInterval : Duration.ofSeconds(10);
      if (reloadInterval.isNegative() || reloadInterval.isZero()) {
        throw new IllegalArgumentException("reload_interval must be positive");
      }
      if (tokensFile != null) {
        TokensFile.read(java.nio.file.Path.of(tokensFile)); // fail at startup, naming the line
      }
    }
  }

  /** One accepted token and the tenant its requests belong to. */
  public record Token(String token, String tenant) {
    public Token {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("token must not be empty");
      }
      if (tenant == null || tenant.isBlank()) {
        throw new IllegalArgumentException("tenant must not be empty");
      }
    }

    @Override
    public String toString() {
      return "Token[token=***, tenant=" + tenant + "]";
    }
  }

  /**
   * CORS for browser clients on the HTTP listener.
   *
   * @param allowedOrigins exact origins, or {@code *}; empty means no CORS headers
   * @param allowedHeaders extra request headers browsers may send (Content-Type, Content-Encoding
   *     and Authorization are always allowed)
   * @param maxAge how long browsers may cache a preflight answer (default 2h)
   */
  public record Cors(List<String> allowedOrigins, List<String> allowedHeaders, Duration maxAge) {
    public Cors {
      allowedOrigins = allowedOrigins != null ? List.copyOf(allowedOrigins) : List.of();
      allowedHeaders = allowedHeaders != null ? List.copyOf(allowedHeaders) : List.of();
      maxAge = maxAge != null ? maxAge : Duration.ofHours(2);
    }
  }

  /**
   * Bounds that keep the edge's memory flat under any load.
   *
   * @param maxRequestBytes largest request body as sent (default 20MiB)
   * @param maxDecompressedBytes largest body after decompression (default 64MiB)
   * @param maxInflightBytes request bytes held across all requests awaiting Kafka (default 64MiB);
   *     beyond it requests get 503 / UNAVAILABLE
   * @param requestTimeout how long a request may wait for Kafka before 503 (default 10s)
   * @param retryAfter the delay suggested to clients in Retry-After / RetryInfo (default 1s)
   */
  public record Limits(
      ByteSize maxRequestBytes,
      ByteSize maxDecompressedBytes,
      ByteSize maxInflightBytes,
      Duration requestTimeout,
      Duration retryAfter,
      Duration bodyReadTimeout) {
    /** The producer's buffer.memory the defaults leave room for. */
    static final long PRODUCER_BUFFER = 64L << 20;

    /**
     * How much of the in-flight budget a request can take at most: its body, its inflated form
     * (held twice while it is assembled) and its decoding.
     */
    static long largestRequest(long maxRequestBytes, long maxDecompressedBytes) {
      return maxRequestBytes + (1L + ExportService.DECODE_FACTOR) * maxDecompressedBytes;
    }

    public Limits {
      long heap = Runtime.getRuntime().maxMemory();
      maxInflightBytes =
          maxInflightBytes != null
              ? maxInflightBytes
              : new ByteSize(
                  Math.min(512L << 20, Math.max(32L << 20, (heap - PRODUCER_BUFFER) / 2)));
      long fitting = maxInflightBytes.bytes() / (2L + ExportService.DECODE_FACTOR);
      maxDecompressedBytes =
          maxDecompressedBytes != null
              ? maxDecompressedBytes
              : new ByteSize(Math.min(64L << 20, fitting));
      maxRequestBytes =
          maxRequestBytes != null
              ? maxRequestBytes
              : new ByteSize(Math.min(20L << 20, maxDecompressedBytes.bytes()));
      requestTimeout = requestTimeout != null ? requestTimeout : Duration.ofSeconds(10);
      retryAfter = retryAfter != null ? retryAfter : Duration.ofSeconds(1);
      bodyReadTimeout = bodyReadTimeout != null ? bodyReadTimeout : Duration.ofSeconds(30);
      if (maxRequestBytes.bytes() < 1 || maxRequestBytes.bytes() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("max_request_bytes must be 1..2GiB");
      }
      if (maxDecompressedBytes.bytes() < maxRequestBytes.bytes()
          || maxDecompressedBytes.bytes() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "max_decompressed_bytes must be at least max_request_bytes and at most 2GiB");
      }
      long largest = largestRequest(maxRequestBytes.bytes(), maxDecompressedBytes.bytes());
      if (maxInflightBytes.bytes() < largest) {
        throw new IllegalArgumentException(
            "max_inflight_bytes ("
                + maxInflightBytes.bytes()
                + ") must hold the largest request: max_request_bytes + "
                + (1 + ExportService.DECODE_FACTOR)
                + " x max_decompressed_bytes = "
                + largest
                + " bytes (its body, inflated body and decoding); raise it or lower those");
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("request_timeout must be positive");
      }
      if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
        throw new IllegalArgumentException("body_read_timeout must be positive");
      }
    }
  }
}
