package io.otelstream.sinks;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OTLP export requests and responses as the OTLP sinks send and read them. */
public final class OtlpRequests {
  private OtlpRequests() {}

  /**
   * One request per tenant ("" for none) built from the record values as they are: concatenated
   * protobuf messages merge their repeated fields, so no record is decoded and encoded again.
   */
  public static Map<String, byte[]> byTenant(List<BatchingSinkTask.Item> batch) {
    Map<String, ByteArrayOutputStream> merged = new LinkedHashMap<>();
    for (BatchingSinkTask.Item item : batch) {
      merged
          .computeIfAbsent(item.tenant(), t -> new ByteArrayOutputStream())
          .writeBytes((byte[]) item.record().value());
    }
    Map<String, byte[]> requests = new LinkedHashMap<>();
    merged.forEach((tenant, bytes) -> requests.put(tenant, bytes.toByteArray()));
    return requests;
  }

  /** What an accepted export's partial_success says the backend did not store. */
  public record PartialSuccess(long rejected, String message) {
    static final PartialSuccess NONE = new PartialSuccess(0, "");
  }

  /**
   * Reads partial_success from an export response body. An empty or non-protobuf body (some
   * backends answer 200 with nothing or with JSON) means nothing was reported rejected.
   */
  public static PartialSuccess partialSuccess(Signal signal, byte[] response) {
    if (response == null || response.length == 0) {
      return PartialSuccess.NONE;
    }
    try {
      return switch (signal) {
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
