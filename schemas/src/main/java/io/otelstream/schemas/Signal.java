package io.otelstream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Locale;

/**
 * The three OTLP signals, the one contract every stage uses: the name (as the Collector's pipelines
 * and otelstream's settings, metrics and commands spell it), the OTLP/gRPC method and OTLP/HTTP
 * path it arrives on, the default names of its raw and processed topics (DESIGN.md), how a record
 * value parses, and how an export response's partial_success is written and read.
 */
public enum Signal {
  TRACES(
      "opentelemetry.proto.collector.trace.v1.TraceService/Export",
      "/v1/traces",
      "otlp-traces",
      "otlp-traces-sampled"),
  METRICS(
      "opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
      "/v1/metrics",
      "otlp-metrics",
      "otlp-metrics-processed"),
  LOGS(
      "opentelemetry.proto.collector.logs.v1.LogsService/Export",
      "/v1/logs",
      "otlp-logs",
      "otlp-logs-processed");

  private final String grpcMethod;
  private final String httpPath;
  private final String rawTopic;
  private final String processedTopic;
  private final String key;

  Signal(String grpcMethod, String httpPath, String rawTopic, String processedTopic) {
    this.grpcMethod = grpcMethod;
    this.httpPath = httpPath;
    this.rawTopic = rawTopic;
    this.processedTopic = processedTopic;
    this.key = name().toLowerCase(Locale.ROOT);
  }

  /** "traces", "metrics" or "logs". */
  @JsonValue
  public String key() {
    return key;
  }

  /** The full OTLP/gRPC method name, {@code package.Service/Export}. */
  public String grpcMethod() {
    return grpcMethod;
  }

  /** The OTLP/HTTP path. */
  public String httpPath() {
    return httpPath;
  }

  /** The default name of the topic the edge writes. */
  public String rawTopic() {
    return rawTopic;
  }

  /** The default name of the topic the streams app writes and the sinks read. */
  public String processedTopic() {
    return processedTopic;
  }

  /**
   * The signal named {@code name} (any case); an unknown name throws naming the three. Also how
   * YAML settings that list signals bind.
   */
  @JsonCreator
  public static Signal of(String name) {
    for (Signal s : values()) {
      if (s.key.equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("must be traces, metrics or logs, not " + name);
  }

  /** The signal served on this OTLP/gRPC method, or null. */
  public static Signal byGrpcMethod(String fullMethodName) {
    for (Signal s : values()) {
      if (s.grpcMethod.equals(fullMethodName)) {
        return s;
      }
    }
    return null;
  }

  /** The signal served on this OTLP/HTTP path, or null. */
  public static Signal byHttpPath(String path) {
    for (Signal s : values()) {
      if (s.httpPath.equals(path)) {
        return s;
      }
    }
    return null;
  }

  /** An empty builder of this signal's export request. */
  public Message.Builder newRequest() {
    return switch (this) {
      case TRACES -> ExportTraceServiceRequest.newBuilder();
      case METRICS -> ExportMetricsServiceRequest.newBuilder();
      case LOGS -> ExportLogsServiceRequest.newBuilder();
    };
  }

  /** Parses a record value; throws when it is absent or not this signal's export request. */
  public Message parseRequest(byte[] value) throws InvalidProtocolBufferException {
    if (value == null) {
      throw new InvalidProtocolBufferException("record has no value");
    }
    return switch (this) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(value);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(value);
      case LOGS -> ExportLogsServiceRequest.parseFrom(value);
    };
  }

  /**
   * The export response: the default instance when nothing was rejected, else one whose
   * partial_success counts the rejected spans, data points or log records.
   */
  public Message response(long rejected, String errorMessage) {
    if (rejected == 0 && errorMessage.isEmpty()) {
      return switch (this) {
        case TRACES -> ExportTraceServiceResponse.getDefaultInstance();
        case METRICS -> ExportMetricsServiceResponse.getDefaultInstance();
        case LOGS -> ExportLogsServiceResponse.getDefaultInstance();
      };
    }
    return switch (this) {
      case TRACES ->
          ExportTraceServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportTracePartialSuccess.newBuilder()
                      .setRejectedSpans(rejected)
                      .setErrorMessage(errorMessage))
              .build();
      case METRICS ->
          ExportMetricsServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportMetricsPartialSuccess.newBuilder()
                      .setRejectedDataPoints(rejected)
                      .setErrorMessage(errorMessage))
              .build();
      case LOGS ->
          ExportLogsServiceResponse.newBuilder()
              .setPartialSuccess(
                  ExportLogsPartialSuccess.newBuilder()
                      .setRejectedLogRecords(rejected)
                      .setErrorMessage(errorMessage))
              .build();
    };
  }

  /** What an export response's partial_success says the receiver did not store. */
  public record PartialSuccess(long rejected, String message) {
    public static final PartialSuccess NONE = new PartialSuccess(0, "");
  }

  /**
   * Reads partial_success from an export response body. An empty or non-protobuf body (some
   * backends answer 200 with nothing or with JSON) means nothing was reported rejected.
   */
  public PartialSuccess partialSuccess(byte[] response) {
    if (response == null || response.length == 0) {
      return PartialSuccess.NONE;
    }
    try {
      return switch (this) {
        case TRACES -> {
          var p = ExportTraceServiceResponse.parseFrom(response).getPartialSuccess();
          yield new PartialSuccess(p.getRejectedSpans(), p.getErrorMessage());
        }
        case METRICS -> {
          var p = ExportMetricsServiceResponse.parseFrom(response).getPartialSuccess();
          yield new PartialSuccess(p.getRejectedDataPoints(), p.getErrorMessage());
        }
        case LOGS -> {
          var p = ExportLogsServiceResponse.parseFrom(response).getPartialSuccess();
          yield new PartialSuccess(p.getRejectedLogRecords(), p.getErrorMessage());
        }
      };
    } catch (InvalidProtocolBufferException e) {
      return PartialSuccess.NONE;
    }
  }
}
