package io.otelstream.streams.processing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
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

  /** The value as text, as the Collector renders it. */
  static String asString(AnyValue v) {
    return io.otelstream.schemas.AnyValueText.of(v);
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
