package io.otelstream.streams.aggregation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.otelstream.schemas.AvroState;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericRecord;

/** A source series' last point (Avro AggregateSource in the changelogged store). */
record SourceState(long lastSeenMs, Metric metric) {
  byte[] encode() {
    GenericRecord r = AvroState.AGGREGATE_SOURCE.newRecord();
    r.put("lastSeenMs", lastSeenMs);
    r.put("metric", ByteBuffer.wrap(metric.toByteArray()));
    return AvroState.AGGREGATE_SOURCE.encode(r);
  }

  /**
   * Only the last-seen time, without decoding the point: the expiry scan reads every source. It is
   * the first field of every schema version, a zig-zag varint right after the version byte.
   */
  static long lastSeenMs(byte[] bytes) {
    try {
      return org.apache.avro.io.DecoderFactory.get()
          .binaryDecoder(bytes, 1, bytes.length - 1, null)
          .readLong();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("corrupt aggregate source state", e);
    }
  }

  static SourceState decode(byte[] bytes) {
    GenericRecord r = AvroState.AGGREGATE_SOURCE.decode(bytes);
    try {
      return new SourceState(
          (Long) r.get("lastSeenMs"), Metric.parseFrom((ByteBuffer) r.get("metric")));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt aggregate source state", e);
    }
  }
}
