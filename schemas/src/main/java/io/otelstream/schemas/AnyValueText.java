package io.otelstream.schemas;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * An OTLP value as text, as the Collector renders it ({@code pcommon.Value.AsString}): strings as
 * they are, numbers without a trailing {@code .0} ({@code strconv.FormatFloat(v, 'f', -1, 64)}),
 * bytes in base64, arrays and maps as JSON with sorted keys. Processors match on it and the sinks
 * write it into labels, so both agree with the Collector and with each other.
 */
public final class AnyValueText {
  private AnyValueText() {}

  /**
   * The value as text, as {@code pcommon.Value.AsString}: doubles without a trailing {@code .0}.
   */
  public static String of(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> formatDouble(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> json(v);
      case KVLIST_VALUE -> json(v);
      default -> "";
    };
  }

  /** A double as Go's {@code strconv.FormatFloat(d, 'f', -1, 64)}. */
  public static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static String json(AnyValue v) {
    StringBuilder sb = new StringBuilder();
    writeJson(v, sb);
    return sb.toString();
  }

  private static void writeJson(AnyValue v, StringBuilder sb) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> quote(v.getStringValue(), sb);
      case BYTES_VALUE -> quote(of(v), sb);
      case ARRAY_VALUE -> {
        sb.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          sb.append(i == 0 ? "" : ",");
          writeJson(values.get(i), sb);
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        sb.append('{');
        List<KeyValue> kvs =
            v.getKvlistValue().getValuesList().stream()
                .sorted(java.util.Comparator.comparing(KeyValue::getKey))
                .toList();
        for (int i = 0; i < kvs.size(); i++) {
          sb.append(i == 0 ? "" : ",");
          quote(kvs.get(i).getKey(), sb);
          sb.append(':');
          writeJson(kvs.get(i).getValue(), sb);
        }
        sb.append('}');
      }
      case VALUE_NOT_SET -> sb.append("null");
      default -> sb.append(of(v));
    }
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
