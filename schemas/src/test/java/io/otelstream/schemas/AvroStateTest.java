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
}
