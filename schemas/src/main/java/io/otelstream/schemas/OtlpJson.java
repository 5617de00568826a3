package io.otelstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * OTLP/JSON in both directions. It differs from the protobuf JSON mapping in one way that matters:
 * trace and span IDs are hex, not base64. Unknown fields are ignored on input, as the specification
 * requires.
 */
public final class OtlpJson {
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .omittingInsignificantWhitespace()
          .printingEnumsAsInts(); // OTLP/JSON: enums as integers

  private OtlpJson() {}

  /**
   * Reads OTLP/JSON into a builder.
   *
   * @throws IllegalArgumentException naming what is wrong with the document
   */
  public static void merge(byte[] json, Message.Builder builder) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("request body must be a JSON object");
    }
    rewriteIds(root, OtlpJson::hexToBase64);
    try {
      PARSER.merge(MAPPER.writeValueAsString(root), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalArgumentException(
          "request body is not valid OTLP/JSON: " + firstLine(e.getMessage()));
    }
  }

  /** OTLP/JSON of a message on one line, IDs in hex. */
  public static String print(Message message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      rewriteIds(tree, OtlpJson::base64ToHex);
      return MAPPER.writeValueAsString(tree);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot print " + message.getDescriptorForType().getName(), e);
    }
  }

  /** The protobuf JSON mapping as is (no IDs to convert), for status and response messages. */
  public static String printPlain(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void rewriteIds(JsonNode node, UnaryOperator<String> convert) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
          try {
            field.setValue(object.textNode(convert.apply(value.textValue())));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                field.getKey()
                    + " '"
                    + abbreviate(value.textValue())
                    + "' is not hex; OTLP/JSON IDs are hex strings");
          }
        } else {
          rewriteIds(value, convert);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(n -> rewriteIds(n, convert));
    }
  }

  private static String hexToBase64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private static String base64ToHex(String base64) {
    return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
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
