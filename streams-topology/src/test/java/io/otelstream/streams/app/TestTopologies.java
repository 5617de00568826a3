package io.otelstream.streams.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.streams.sampling.PolicyFactory;
import io.otelstream.streams.sampling.TailSamplingConfig;
import io.otelstream.streams.signals.LogsConfig;
import io.otelstream.streams.signals.MetricsConfig;
import io.otelstream.streams.signals.SignalMetrics;
import io.otelstream.streams.traces.InFlightHeap;
import io.otelstream.streams.traces.SamplingMetrics;
import io.otelstream.streams.traces.SamplingSettings;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The app's topology parts and TopologyTestDriver properties, as the topology tests use them. */
public final class TestTopologies {
  private TestTopologies() {}

  /** Parts with these policies and pass-through metrics and logs. */
  public static OtelstreamTopology.Parts parts(
      TailSamplingConfig policies, MeterRegistry registry) {
    return parts(policies, MetricsConfig.defaults(), LogsConfig.passThrough(), registry);
  }

  public static OtelstreamTopology.Parts parts(
      TailSamplingConfig policies, MetricsConfig metrics, LogsConfig logs, MeterRegistry registry) {
    return parts(policies, metrics, logs, registry, java.time.Duration.ZERO);
  }

  /** Parts whose record times are bounded by {@code maxClockSkew} against the driver's clock. */
  public static OtelstreamTopology.Parts parts(
      TailSamplingConfig policies,
      MetricsConfig metrics,
      LogsConfig logs,
      MeterRegistry registry,
      java.time.Duration maxClockSkew) {
    return new OtelstreamTopology.Parts(
        SamplingSettings.from(policies, 1 << 20, InFlightHeap.ofMaxHeap())
            .withMaxClockSkew(maxClockSkew),
        () -> PolicyFactory.engine(policies, "tail_sampling"),
        new SamplingMetrics(registry),
        metrics,
        logs,
        new SignalMetrics(registry));
  }

  /** Driver properties with a fresh state directory under the OS temp directory. */
  public static Properties driverProperties(String applicationId) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(
        StreamsConfig.STATE_DIR_CONFIG,
        System.getProperty("java.io.tmpdir") + "/" + applicationId + "-" + System.nanoTime());
    return p;
  }
}
