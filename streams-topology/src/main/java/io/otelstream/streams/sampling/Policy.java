package io.otelstream.streams.sampling;

/** One named sampling policy. Stateful policies (rate and byte limits) use {@code nowMillis}. */
public interface Policy {
  String name();

  Decision evaluate(TraceData trace, long nowMillis);
}
