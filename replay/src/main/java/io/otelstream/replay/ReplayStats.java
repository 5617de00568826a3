package io.otelstream.replay;

import io.opentelemetry.proto.trace.v1.Status;
import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.sampling.TraceData;
import io.otelstream.streams.traces.SamplingRun;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One sampler's run over a replay window: the {@link SamplingRun} hooks that bound each partition
 * and leave out traces that started outside the window, and what the run decided. Stream threads
 * report concurrently.
 */
public final class ReplayStats implements SamplingRun {
  private static final Set<Status.StatusCode> ERROR = Set.of(Status.StatusCode.STATUS_CODE_ERROR);

  private final Map<Integer, PartitionWindow> windows = new ConcurrentHashMap<>();
  private final AtomicLongArray processed;
  private final CountDownLatch unfinished;
  private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
  private final String sink;
  private final String suffix;
  private final PolicyFigures seen = new PolicyFigures();
  private final PolicyFigures kept = new PolicyFigures();
  private final Map<String, PolicyFigures> byPolicy = new ConcurrentSkipListMap<>();

  /**
   * @param sink the child kept spans go to, or null to write nothing (a preview)
   * @param suffix store-name suffix, distinct per sampler of one topology
   */
  public ReplayStats(List<PartitionWindow> windows, String sink, String suffix) {
    int max = windows.stream().mapToInt(PartitionWindow::partition).max().orElse(0);
    this.processed = new AtomicLongArray(max + 1);
    long live = windows.stream().filter(w -> !w.empty()).count();
    this.unfinished = new CountDownLatch((int) live);
    for (PartitionWindow w : windows) {
      this.windows.put(w.partition(), w);
      if (w.empty()) {
        finished.add(w.partition());
      }
    }
    this.sink = sink;
    this.suffix = suffix;
  }

  @Override
  public long stopOffset(int partition) {
    PartitionWindow w = windows.get(partition);
    return w == null ? 0 : w.stop();
  }

  @Override
  public boolean decides(int partition, long firstOffset) {
    PartitionWindow w = windows.get(partition);
    return w != null && firstOffset >= w.from() && firstOffset < w.to();
  }

  @Override
  public void processed(int partition, long offset) {
    PartitionWindow w = windows.get(partition);
    processed.set(partition, offset + 1 - w.readFrom());
  }

  @Override
  public void decided(TraceData trace, SamplingEngine.Outcome outcome) {
    boolean error = trace.anyStatus(ERROR);
    seen.addTrace(trace.spanCount(), trace.encodedBytes(), error);
    if (outcome.sampled()) {
      kept.addTrace(trace.spanCount(), trace.encodedBytes(), error);
      policy(outcome.policy()).addTrace(trace.spanCount(), trace.encodedBytes(), error);
    }
  }

  @Override
  public void lateKept(int spans, long bytes, String policy) {
    kept.addLateSpans(spans, bytes);
    policy(policy).addLateSpans(spans, bytes);
  }

  private PolicyFigures policy(String name) {
    return byPolicy.computeIfAbsent(name == null ? "none" : name, n -> new PolicyFigures());
  }

  @Override
  public void finished(int partition) {
    if (finished.add(partition)) {
      unfinished.countDown();
    }
  }

  @Override
  public String sampledSink() {
    return sink;
  }

  @Override
  public String deadLetterSink() {
    return null; // dead-lettered when the live app first read them
  }

  @Override
  public boolean changelogged() {
    return false;
  }

  @Override
  public String storeSuffix() {
    return suffix;
  }

  CountDownLatch unfinished() {
    return unfinished;
  }

  /** Records read so far over all partitions. */
  long recordsRead() {
    long n = 0;
    for (int i = 0; i < processed.length(); i++) {
      n += processed.get(i);
    }
    return n;
  }

  public PolicyFigures seen() {
    return seen;
  }

  public PolicyFigures kept() {
    return kept;
  }

  /** Kept figures by the policy that decided each trace (the first that sampled it). */
  public Map<String, PolicyFigures> byPolicy() {
    return byPolicy;
  }
}
