package io.otelstream.streams.aggregation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelstream.schemas.AvroState;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericRecord;

/** An output series and its running value (Avro AggregateSeries in the changelogged store). */
final class SeriesState {
  String tenant;
  Resource resource;
  InstrumentationScope scope;

  /** One data point: the series' attributes, start time and, for added kinds, running total. */
  Metric metric;

  int liveSources;
  long lastUpdateMs;
  boolean ended;
  boolean overflow;
  boolean emitted;

  byte[] encode() {
    GenericRecord r = AvroState.AGGREGATE_SERIES.newRecord();
    r.put("tenant", tenant);
    r.put("resource", ByteBuffer.wrap(resource.toByteArray()));
    r.put("scope", ByteBuffer.wrap(scope.toByteArray()));
    r.put("metric", ByteBuffer.wrap(metric.toByteArray()));
    r.put("liveSources", liveSources);
    r.put("lastUpdateMs", lastUpdateMs);
    r.put("ended", ended);
    r.put("overflow", overflow);
    r.put("emitted", emitted);
    return AvroState.AGGREGATE_SERIES.encode(r);
  }

  static SeriesState decode(byte[] bytes) {
    GenericRecord r = AvroState.AGGREGATE_SERIES.decode(bytes);
    SeriesState s = new SeriesState();
    try {
      s.tenant = r.get("tenant") == null ? null : r.get("tenant").toString();
      s.resource = Resource.parseFrom((ByteBuffer) r.get("resource"));
      s.scope = InstrumentationScope.parseFrom((ByteBuffer) r.get("scope"));
      s.metric = Metric.parseFrom((ByteBuffer) r.get("metric"));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt aggregate series state", e);
    }
    s.liveSources = (Integer) r.get("liveSources");
    s.lastUpdateMs = (Long) r.get("lastUpdateMs");
    s.ended = (Boolean) r.get("ended");
    s.overflow = (Boolean) r.get("overflow");
    s.emitted = (Boolean) r.get("emitted");
    return s;
  }
}
