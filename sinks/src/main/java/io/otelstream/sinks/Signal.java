package io.otelstream.sinks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** Which OTLP export request a sink's records hold. */
public enum Signal {
  TRACES,
  METRICS,
  LOGS;

  public static Signal of(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Decodes a record value; throws when it is not this signal's export request. */
  public Message decode(byte[] value) throws InvalidProtocolBufferException {
    if (value == null) {
      throw new InvalidProtocolBufferException("record has no value");
    }
    return switch (this) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(value);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(value);
      case LOGS -> ExportLogsServiceRequest.parseFrom(value);
    };
  }
}
