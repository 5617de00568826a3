package io.otelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroStateTest {
  @Test
  void shouldReadADecisionWrittenByTheFirstSchemaWithTheNewFieldsDefault() throws Exception {
    Schema v1;
    try (InputStream in = AvroState.class.getResourceAsStream("avro/TraceDecision.v1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
    GenericRecord old = new GenericData.Record(v1);
    old.put("sampled", true);
    old.put("policy", "errors");
    old.put("decidedAtMs", 10L);
    old.put("expiresAtMs", 20L);
    old.put("tenant", null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1); // the version byte of v1
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
    encoder.flush();

    GenericRecord read = AvroState.TRACE_DECISION.decode(out.toByteArray());
    assertThat(read.get("policy").toString()).isEqualTo("errors");
    assertThat(read.get("expiresAtMs")).isEqualTo(20L);
    assertThat(read.get("lastOffset")).isEqualTo(-1L);
  }

  @Test
  void shouldRoundTripAWatermark() {
    GenericRecord w = AvroState.PARTITION_WATERMARK.newRecord();
    w.put("lowWatermark", 42L);
    w.put("nextOffset", 99L);
    GenericRecord read =
        AvroState.PARTITION_WATERMARK.decode(AvroState.PARTITION_WATERMARK.encode(w));
    assertThat(read.get("lowWatermark")).isEqualTo(42L);
    assertThat(read.get("nextOffset")).isEqualTo(99L);
  }

  /** TraceDecision as a newer release might write it: one more field, with a default. */
  static final String TRACE_DECISION_V3 =
      """
      {"type": "record", "name": "TraceDecision", "namespace": "io.otelstream.state",
       "fields": [
        {"name": "sampled", "type": "boolean"},
        {"name": "policy", "type": ["null", "string"], "default": null},
        {"name": "decidedAtMs", "type": "long"},
        {"name": "expiresAtMs", "type": "long"},
        {"name": "tenant", "type": ["null", "string"], "default": null},
        {"name": "lastOffset", "type": "long", "default": -1},
        {"name": "reason", "type": "string", "default": ""}
       ]}
      """;

  static byte[] encodeV3(boolean sampled, long decidedAtMs) throws Exception {
    Schema v3 = new Schema.Parser().parse(TRACE_DECISION_V3);
    GenericRecord r = new GenericData.Record(v3);
    r.put("sampled", sampled);
    r.put("policy", "errors");
    r.put("decidedAtMs", decidedAtMs);
    r.put("expiresAtMs", decidedAtMs + 60_000);
    r.put("tenant", null);
    r.put("lastOffset", 7L);
    r.put("reason", "written by a newer release");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(3);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v3).write(r, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void aNewerReleasesStateIsReadWithItsPublishedSchemaAndRefusedWithout() throws Exception {
    byte[] v3 = encodeV3(true, 10L);
    try {
      AvroState.writerSchemas(key -> null);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> AvroState.TRACE_DECISION.decode(v3))
          .isInstanceOf(UnknownStateVersionException.class)
          .hasMessageContaining("TraceDecision state written by schema version 3")
          .hasMessageContaining("Roll forward");
      AvroState.writerSchemas(key -> key.equals("TraceDecision.v3") ? TRACE_DECISION_V3 : null);
      GenericRecord read = AvroState.TRACE_DECISION.decode(v3);
      assertThat(read.get("sampled")).isEqualTo(true);
      assertThat(read.get("lastOffset")).isEqualTo(7L);
      assertThat(AvroState.schemas()).containsKeys("TraceDecision.v1", "TraceDecision.v2");
    } finally {
      AvroState.writerSchemas(key -> null);
    }
  }
}
