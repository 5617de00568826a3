package io.otelstream.edge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelstream.schemas.Signal;
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
          ResourceRecords.metrics(parse(signal.newRequest(), format, body), maxRecordBytes);
      case LOGS -> ResourceRecords.logs(parse(signal.newRequest(), format, body), maxRecordBytes);
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
    return parse(Signal.TRACES.newRequest(), format, body).toByteArray();
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
    String message =
        batch.rejectMessage == null
            ? ""
            : batch.rejected + " rejected; first: " + batch.rejectMessage;
    return signal.response(batch.rejected, message);
  }
}
