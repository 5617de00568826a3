package io.otelstream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

class TraceFieldsTest {
  @Test
  void idsMustHaveTheirLengthAndNotBeAllZero() {
    byte[] b = new byte[20];
    assertThat(TraceFields.validId(b, 2, 16, TraceFields.TRACE_ID_BYTES)).isFalse();
    b[17] = 1;
    assertThat(TraceFields.validId(b, 2, 16, TraceFields.TRACE_ID_BYTES)).isTrue();
    assertThat(TraceFields.validId(b, 2, 8, TraceFields.TRACE_ID_BYTES)).isFalse();
    assertThat(TraceFields.validId(b, -1, 16, TraceFields.TRACE_ID_BYTES)).isFalse();
    assertThat(TraceFields.validId(ByteString.copyFrom(new byte[8]), 8)).isFalse();
    assertThat(TraceFields.validId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}), 8))
        .isTrue();
  }

  /** The tags are the ones protobuf itself writes for a span. */
  @Test
  void tagsMatchWhatProtobufWrites() {
    byte[] span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[8]))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .build()
            .toByteArray();
    WireReader r = new WireReader(span, 0, span.length);
    assertThat(r.readTag()).isEqualTo(TraceFields.TRACE_ID);
    r.skip(TraceFields.TRACE_ID);
    assertThat(r.readTag()).isEqualTo(TraceFields.SPAN_ID);
    r.skip(TraceFields.SPAN_ID);
    assertThat(r.readTag()).isEqualTo(TraceFields.STATUS);
    int length = r.readLength();
    WireReader status = new WireReader(span, r.pos, r.pos + length);
    assertThat(status.readTag()).isEqualTo(TraceFields.STATUS_CODE);
  }
}
