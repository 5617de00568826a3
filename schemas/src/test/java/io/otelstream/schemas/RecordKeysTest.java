package io.otelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RecordKeysTest {
  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Test
  void traceKeyIsLowercaseHex() {
    ByteString id =
        ByteString.copyFrom(HexFormat.of().parseHex("5B8EFFF798038103D269B633813FC60C"));
    assertThat(RecordKeys.traceKeyString(id)).isEqualTo("5b8efff798038103d269b633813fc60c");
  }

  @Test
  void resourceKeyIgnoresAttributeOrderAndSeparatesValues() {
    Resource ab =
        Resource.newBuilder().addAttributes(kv("a", "1")).addAttributes(kv("b", "2")).build();
    Resource ba =
        Resource.newBuilder().addAttributes(kv("b", "2")).addAttributes(kv("a", "1")).build();
    Resource other = Resource.newBuilder().addAttributes(kv("a", "12")).build();
    assertThat(RecordKeys.resourceKey(ab)).hasSize(16).isEqualTo(RecordKeys.resourceKey(ba));
    assertThat(RecordKeys.resourceKey(ab)).isNotEqualTo(RecordKeys.resourceKey(other));
  }
}
