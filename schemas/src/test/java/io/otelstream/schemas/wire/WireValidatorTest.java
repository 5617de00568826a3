package io.otelstream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The validator accepts and refuses what protobuf-java's parser does. The one exception is
 * deliberate: a varint whose tenth byte has the continuation bit, which protobuf-java sometimes
 * takes, is refused.
 */
class WireValidatorTest {
  private final WireValidator validator =
      new WireValidator(ExportTraceServiceRequest.getDescriptor());

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  /** A request using every kind of field the trace protos have. */
  static byte[] request() {
    AnyValue nested =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(kv("inner", str("välue")))
                    .addValues(
                        kv(
                            "list",
                            AnyValue.newBuilder()
                                .setArrayValue(
                                    ArrayValue.newBuilder()
                                        .addValues(AnyValue.newBuilder().setIntValue(-7))
                                        .addValues(AnyValue.newBuilder().setDoubleValue(1.5))
                                        .addValues(AnyValue.newBuilder().setBoolValue(true))
                                        .addValues(
                                            AnyValue.newBuilder()
                                                .setBytesValue(ByteString.copyFromUtf8("raw"))))
                                .build())))
            .build();
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(
                ByteString.copyFrom(
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setParentSpanId(ByteString.copyFrom(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}))
            .setTraceState("k=v")
            .setFlags(257)
            .setName("GET /orders/{id}")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_000_500_000_000L)
            .addAttributes(kv("http.route", str("/orders/{id}")))
            .addAttributes(kv("nested", nested))
            .setDroppedAttributesCount(3)
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(1_700_000_000_100_000_000L)
                    .addAttributes(kv("exception.message", str("boom ✗"))))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[16]))
                    .setSpanId(ByteString.copyFrom(new byte[8]))
                    .setTraceState("a=b"))
            .setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("failed"));
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder().addAttributes(kv("service.name", str("checkout"))))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder().setName("io.otel").setVersion("1.0"))
                        .addSpans(span)
                        .addSpans(span.setName("second"))))
        .build()
        .toByteArray();
  }

  private static boolean protobufAccepts(byte[] body) {
    try {
      ExportTraceServiceRequest.parseFrom(body);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private String refusal(byte[] body) {
    try {
      validator.validate(body);
      return null;
    } catch (InvalidWireException e) {
      return e.getMessage();
    }
  }

  private boolean validatorAccepts(byte[] body) {
    try {
      validator.validate(body);
      return true;
    } catch (InvalidWireException e) {
      return false;
    }
  }

  @Test
  void acceptsValidRequestsIncludingUnknownFieldsAndGroups() {
    byte[] valid = request();
    assertThat(validatorAccepts(valid)).isTrue();
    ByteArrayOutputStream withUnknown = new ByteArrayOutputStream();
    withUnknown.writeBytes(valid);
    withUnknown.writeBytes(new byte[] {(byte) (99 << 3 | 3), 0x08, 0x01, (byte) (99 << 3 | 4)});
    withUnknown.writeBytes(new byte[] {(byte) (1 << 3 | 0), 0x05}); // field 1 as a varint: unknown
    assertThat(protobufAccepts(withUnknown.toByteArray())).isTrue();
    assertThat(validatorAccepts(withUnknown.toByteArray())).isTrue();
  }

  @Test
  void namesWhatIsWrong() {
    byte[] badUtf8 =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setSchemaUrl("ab"))
            .build()
            .toByteArray();
    badUtf8[badUtf8.length - 1] = (byte) 0xff;
    assertThat(protobufAccepts(badUtf8)).isFalse();
    assertThatThrownBy(() -> validator.validate(badUtf8)).hasMessageContaining("UTF-8");
  }

  @Test
  void checksNonAsciiCharactersAfterAnAsciiPrefix() {
    byte[] accented =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setSchemaUrl("abc-\u00e9t\u00e9-\u6f22"))
            .build()
            .toByteArray();
    assertThat(validatorAccepts(accented)).isTrue();
    byte[] cut = accented.clone();
    cut[cut.length - 1] = 'x'; // the last character's final continuation byte replaced
    assertThat(protobufAccepts(cut)).isFalse();
    assertThatThrownBy(() -> validator.validate(cut)).hasMessageContaining("UTF-8");
  }

  @Test
  void agreesWithProtobufJavaOnEveryMutation() {
    byte[] valid = request();
    SplittableRandom random = new SplittableRandom(42);
    int disagreements = 0;
    StringBuilder examples = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      byte[] body = mutate(valid, random);
      boolean expected = protobufAccepts(body);
      String refusal = refusal(body);
      if (expected && refusal != null && refusal.endsWith(WireReader.OVERLONG_VARINT)) {
        continue; // protobuf-java takes some malformed 10-byte varints; the edge refuses them
      }
      if ((refusal == null) != expected) {
        disagreements++;
        if (examples.length() < 2000) {
          examples
              .append(
                  expected
                      ? "protobuf accepts, validator refuses: "
                      : "protobuf refuses, validator accepts: ")
              .append(java.util.HexFormat.of().formatHex(body))
              .append('\n');
        }
      }
    }
    assertThat(disagreements).as(examples.toString()).isZero();
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] body = valid.clone();
    int kind = random.nextInt(4);
    switch (kind) {
      case 0 -> { // flip one to three bytes
        for (int n = random.nextInt(1, 4); n > 0; n--) {
          body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
        return body;
      }
      case 1 -> { // truncate
        return java.util.Arrays.copyOf(body, random.nextInt(body.length));
      }
      case 2 -> { // flip one bit
        int at = random.nextInt(body.length);
        body[at] ^= (byte) (1 << random.nextInt(8));
        return body;
      }
      default -> { // insert random bytes
        int at = random.nextInt(body.length);
        int n = random.nextInt(1, 4);
        byte[] out = new byte[body.length + n];
        System.arraycopy(body, 0, out, 0, at);
        for (int k = 0; k < n; k++) {
          out[at + k] = (byte) random.nextInt(256);
        }
        System.arraycopy(body, at, out, at + n, body.length - at);
        return out;
      }
    }
  }
}
