package io.otelstream.streams.traces;

import io.otelstream.schemas.Headers;
import io.otelstream.schemas.RecordKeys;
import io.otelstream.schemas.wire.InvalidWireException;

/**
 * One input record as tail sampling sees it: its trace, the key the trace is gathered under (the
 * trace ID, or per tenant: {@link TenantKeys}), input offset, record time and span count, or the
 * reason it cannot be sampled. The same reading serves live processing and the rebuild, so both
 * treat every record alike.
 */
record Arrival(
    byte[] traceId,
    byte[] key,
    long offset,
    long timestampMs,
    byte[] value,
    int spans,
    String tenant,
    String invalidReason) {

  static Arrival of(
      byte[] key,
      byte[] value,
      long offset,
      long timestampMs,
      org.apache.kafka.common.header.Headers headers) {
    byte[] traceId = RecordKeys.traceIdOf(key);
    if (traceId == null) {
      return invalid("invalid_key", offset, timestampMs, value);
    }
    int spans;
    try {
      spans = TraceWire.validSpanCount(value);
    } catch (InvalidWireException e) {
      return invalid("undecodable", offset, timestampMs, value);
    }
    String tenant = Headers.tenant(headers);
    return new Arrival(
        traceId, TenantKeys.of(tenant, traceId), offset, timestampMs, value, spans, tenant, null);
  }

  private static Arrival invalid(String reason, long offset, long timestampMs, byte[] value) {
    return new Arrival(null, null, offset, timestampMs, value, 0, null, reason);
  }

  boolean valid() {
    return invalidReason == null;
  }
}
