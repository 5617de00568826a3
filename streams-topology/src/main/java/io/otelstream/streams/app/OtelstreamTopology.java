package io.otelstream.streams.app;

import io.otelstream.streams.sampling.SamplingEngine;
import io.otelstream.streams.traces.DeadLetters;
import io.otelstream.streams.traces.SamplingMetrics;
import io.otelstream.streams.traces.SamplingSettings;
import io.otelstream.streams.traces.TailSamplingProcessor;
import io.otelstream.streams.traces.TraceStores;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/** The processing graph: raw topics in, processed topics and the dead-letter topic out. */
public final class OtelstreamTopology {
  private OtelstreamTopology() {}

  /**
   * @param engines a fresh engine per task: rate and byte limits keep per-task state
   */
  public static Topology build(
      TopicCatalog topics,
      SamplingSettings settings,
      Supplier<SamplingEngine> engines,
      SamplingMetrics metrics) {
    Topology t = new Topology();
    ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
    ByteArraySerializer bytesOut = new ByteArraySerializer();
    t.addSource("traces-source", bytesIn, bytesIn, topics.name(Topic.TRACES));
    t.addProcessor(
        "tail-sampling",
        () -> new TailSamplingProcessor(settings, engines.get(), metrics),
        "traces-source");
    for (String store : TraceStores.ALL) {
      t.addStateStore(TraceStores.builder(store), "tail-sampling");
    }
    t.addSink(
        TailSamplingProcessor.SINK,
        topics.name(Topic.TRACES_SAMPLED),
        bytesOut,
        bytesOut,
        "tail-sampling");
    t.addSink(DeadLetters.SINK, topics.name(Topic.DEADLETTER), bytesOut, bytesOut, "tail-sampling");
    return t;
  }
}
