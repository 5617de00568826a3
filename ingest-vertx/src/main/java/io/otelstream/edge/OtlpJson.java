package io.otelstream.edge;

import com.google.protobuf.Message;

/** The edge's view of OTLP/JSON: decoding failures become 400s. */
final class OtlpJson {
  private OtlpJson() {}

  static void merge(byte[] json, Message.Builder builder) {
    try {
      io.otelstream.schemas.OtlpJson.merge(json, builder);
    } catch (IllegalArgumentException e) {
      throw new EdgeError(EdgeError.Kind.INVALID, "invalid_json", e.getMessage());
    }
  }

  /** Responses and error statuses carry no IDs. */
  static String print(Message message) {
    return io.otelstream.schemas.OtlpJson.printPlain(message);
  }
}
