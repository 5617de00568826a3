package io.otelstream.streams.traces;

import io.otelstream.schemas.AvroState;
import org.apache.avro.generic.GenericRecord;

/**
 * A value of the ts-traces store: the state of a trace still being gathered, or, once decided, its
 * cached decision. One entry per trace ID means a decision replaces the state in one write.
 */
final class TraceEntry {
  private static final byte STATE = 'S';
  private static final byte DECISION = 'D';

  private TraceEntry() {}

  static byte[] state(GenericRecord state) {
    return prefixed(STATE, AvroState.TRACE_STATE.encode(state));
  }

  static byte[] decision(GenericRecord decision) {
    return prefixed(DECISION, AvroState.TRACE_DECISION.encode(decision));
  }

  static boolean isState(byte[] value) {
    return value != null && value[0] == STATE;
  }

  static boolean isDecision(byte[] value) {
    return value != null && value[0] == DECISION;
  }

  static GenericRecord decodeState(byte[] value) {
    return AvroState.TRACE_STATE.decode(value, 1);
  }

  static GenericRecord decodeDecision(byte[] value) {
    return AvroState.TRACE_DECISION.decode(value, 1);
  }

  private static byte[] prefixed(byte kind, byte[] encoded) {
    byte[] out = new byte[encoded.length + 1];
    out[0] = kind;
    System.arraycopy(encoded, 0, out, 1, encoded.length);
    return out;
  }
}
