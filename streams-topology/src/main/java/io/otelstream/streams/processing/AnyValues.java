package io.otelstream.streams.processing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Conversions between configuration values, OTLP values and text, as the Collector makes them. */
final class AnyValues {
  private AnyValues() {}

  /** A YAML value as the Collector's {@code pcommon.Value.FromRaw} types it. */
  static AnyValue of(Object raw) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (raw instanceof String s) {
      return b.setStringValue(s).build();
    }
    if (raw instanceof Boolean v) {
      return b.setBoolValue(v).build();
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return b.setIntValue(((Number) raw).longValue()).build();
    }
    if (raw instanceof Number n) {
      return b.setDoubleValue(n.doubleValue()).build();
    }
    if (raw instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      list.forEach(v -> a.addValues(of(v)));
      return b.setArrayValue(a).build();
    }
    if (raw instanceof Map<?, ?> map) {
      KeyValueList.Builder kv = KeyValueList.newBuilder();
      map.forEach(
          (k, v) -> kv.addValues(KeyValue.newBuilder().setKey(k.toString()).setValue(of(v))));
      return b.setKvlistValue(kv).build();
    }
    if (raw == null) {
      return b.build();
    }
    throw new IllegalArgumentException("unsupported value " + raw);
  }

  /**
   * The value as text, as {@code pcommon.Value.AsString}: doubles without a trailing {@code .0}.
   */
  static String asString(AnyValue v) {
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

  private static String formatDouble(double d) {
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
      case BYTES_VALUE -> quote(asString(v), sb);
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
      default -> sb.append(asString(v));
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

  /** The bytes the Collector's {@code hash} action digests: none for other types. */
  static byte[] hashInput(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case BOOL_VALUE -> new byte[] {(byte) (v.getBoolValue() ? 1 : 0)};
      case INT_VALUE -> littleEndian(v.getIntValue());
      case DOUBLE_VALUE -> littleEndian(Double.doubleToRawLongBits(v.getDoubleValue()));
      default -> new byte[0];
    };
  }

  private static byte[] littleEndian(long x) {
    return java.nio.ByteBuffer.allocate(8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(x)
        .array();
  }

  static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue bytes(ByteString b) {
    return AnyValue.newBuilder().setBytesValue(b).build();
  }
}
