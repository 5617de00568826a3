package io.otelstream.replay;

import java.util.concurrent.atomic.LongAdder;

/** Traces, spans, bytes and error traces: one line of a replay's report. */
public final class PolicyFigures {
  private final LongAdder traces = new LongAdder();
  private final LongAdder spans = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder errorTraces = new LongAdder();

  void addTrace(int spanCount, long byteCount, boolean error) {
    traces.increment();
    spans.add(spanCount);
    bytes.add(byteCount);
    if (error) {
      errorTraces.increment();
    }
  }

  void addLateSpans(int spanCount, long byteCount) {
    spans.add(spanCount);
    bytes.add(byteCount);
  }

  public long traces() {
    return traces.sum();
  }

  public long spans() {
    return spans.sum();
  }

  public long bytes() {
    return bytes.sum();
  }

  public long errorTraces() {
    return errorTraces.sum();
  }
}
