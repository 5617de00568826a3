package io.otelstream.edge;

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
import io.otelstream.schemas.wire.InvalidWireException;
import io.otelstream.schemas.wire.WireValidator;

/** Request bodies to record batches, and batches to OTLP responses, per signal and encoding. */
final class ExportCodec {
  /** Wire encodings of OTLP. */
  enum Format {
    PROTOBUF,
    JSON
  }

  private ExportCodec() {}

  static Batch decode(Signal signal, Format format, byte[] body, int maxRecordBytes) {
    return switch (signal) {
      case TRACES -> {
        try {
          yield TraceRecords.split(validatedTraces(format, body), maxRecordBytes);
        } catch (InvalidWireException e) {
          throw new EdgeError(
              EdgeError.Kind.INVALID, "invalid_protobuf", "request body is " + e.getMessage());
        }
      }
      case METRICS ->
          ResourceRecords.metrics(
              parse(ExportMetricsServiceRequest.newBuilder(), format, body), maxRecordBytes);
      case LOGS ->
          ResourceRecords.logs(
              parse(ExportLogsServiceRequest.newBuilder(), format, body), maxRecordBytes);
    };
  }

  private static final WireValidator TRACES =
      new WireValidator(ExportTraceServiceRequest.getDescriptor());

  /**
   * Protobuf bodies are only checked to be a valid ExportTraceServiceRequest, never built; records
   * are then cut from the original bytes. JSON is converted to protobuf bytes first.
   */
  private static byte[] validatedTraces(Format format, byte[] body) {
    if (format == Format.PROTOBUF) {
      TRACES.validate(body);
      return body;
    }
    return parse(ExportTraceServiceRequest.newBuilder(), format, body).toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T parse(Message.Builder builder, Format format, byte[] body) {
    if (format == Format.JSON) {
      OtlpJson.merge(body, builder);
    } else {
      try {
        builder.mergeFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new EdgeError(
            EdgeError.Kind.INVALID,
            "invalid_protobuf",
            "request body is not a valid "
                + builder.getDescriptorForType().getName()
                + ": "
                + e.getMessage());
      }
    }
    return (T) builder.build();
  }

  /** The success response; carries partial_success when some items were rejected. */
  static Message response(Signal signal, Batch batch) {
    boolean partial = batch.rejected > 0;
    String message =
        batch.rejectMessage == null
            ? ""
            : batch.rejected + " rejected; first: " + batch.rejectMessage;
    return switch (signal) {
      case TRACES ->
          partial
              ? ExportTraceServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportTracePartialSuccess.newBuilder()
                          .setRejectedSpans(batch.rejected)
                          .setErrorMessage(message))
                  .build()
              : ExportTraceServiceResponse.getDefaultInstance();
      case METRICS ->
          partial
              ? ExportMetricsServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportMetricsPartialSuccess.newBuilder()
                          .setRejectedDataPoints(batch.rejected)
                          .setErrorMessage(message))
                  .build()
              : ExportMetricsServiceResponse.getDefaultInstance();
      case LOGS ->
          partial
              ? ExportLogsServiceResponse.newBuilder()
                  .setPartialSuccess(
                      ExportLogsPartialSuccess.newBuilder()
                          .setRejectedLogRecords(batch.rejected)
                          .setErrorMessage(message))
                  .build()
              : ExportLogsServiceResponse.getDefaultInstance();
    };
  }
}
