package io.otelstream.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON to protobuf. OTLP/JSON differs from the protobuf JSON mapping in one way that matters:
 * trace and span IDs are hex, not base64. They are rewritten to base64 before the standard parser
 * (unknown fields ignored, as the specification requires) reads the document.
 */
final class OtlpJson {
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  static void merge(byte[] json, Message.Builder builder) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw invalid("request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw invalid("request body must be a JSON object");
    }
    rewriteIds(root);
    try {
      PARSER.merge(MAPPER.writeValueAsString(root), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw invalid("request body is not valid OTLP/JSON: " + firstLine(e.getMessage()));
    }
  }

  static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void rewriteIds(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
          field.setValue(object.textNode(hexToBase64(field.getKey(), value.textValue())));
        } else {
          rewriteIds(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(OtlpJson::rewriteIds);
    }
  }

  private static String hexToBase64(String field, String hex) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw invalid(field + " '" + abbreviate(hex) + "' is not hex; OTLP/JSON IDs are hex strings");
    }
  }

  private static EdgeError invalid(String message) {
    return new EdgeError(EdgeError.Kind.INVALID, "invalid_json", message);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
