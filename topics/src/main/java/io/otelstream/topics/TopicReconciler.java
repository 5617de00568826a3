package io.otelstream.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Brings the cluster's topics in line with the catalogue ({@link #apply}) or only reports how they
 * differ ({@link #verify}). Never shrinks partitions or deletes anything; growing otlp-traces
 * re-maps trace IDs to partitions, so it needs an explicit flag.
 */
public final class TopicReconciler {
  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final TopicCatalog catalog;

  public TopicReconciler(Admin admin, TopicCatalog catalog) {
    this.admin = admin;
    this.catalog = catalog;
  }

  /** Creates missing topics, grows partitions, sets drifted configs. */
  public TopicReport apply(boolean allowTracesPartitionGrowth) {
    return reconcile(true, allowTracesPartitionGrowth);
  }

  /** Reports missing topics and drift without changing anything. */
  public TopicReport verify() {
    return reconcile(false, false);
  }

  private TopicReport reconcile(boolean change, boolean allowTracesGrowth) {
    TopicReport report = new TopicReport();
    Map<String, TopicDescription> existing = describe(catalog.all());
    Map<String, Config> configs = describeConfigs(existing.keySet());
    for (TopicSpec spec : catalog.all()) {
      TopicDescription d = existing.get(spec.name());
      if (d == null) {
        if (change) {
          create(spec, report);
        } else {
          report.drift(spec.name(), "missing");
        }
        continue;
      }
      reconcilePartitions(spec, d, change, allowTracesGrowth, report);
      reconcileReplication(spec, d, report);
      reconcileConfigs(spec, configs.get(spec.name()), change, report);
      report.ok(spec.name());
    }
    return report;
  }

  private void create(TopicSpec spec, TopicReport report) {
    NewTopic t =
        new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
            .configs(spec.configs());
    try {
      await(admin.createTopics(List.of(t)).all());
      awaitPartitions(spec.name(), spec.partitions());
      report.changed(
          spec.name(),
          "created with "
              + spec.partitions()
              + " partitions, replication "
              + spec.replicationFactor());
    } catch (TopicExistsException e) {
      report.ok(spec.name()); // created concurrently by another apply
    }
  }

  private void reconcilePartitions(
      TopicSpec spec,
      TopicDescription d,
      boolean change,
      boolean allowTracesGrowth,
      TopicReport report) {
    int actual = d.partitions().size();
    if (actual == spec.partitions()) {
      return;
    }
    if (actual > spec.partitions()) {
      report.drift(
          spec.name(),
          "has "
              + actual
              + " partitions, catalogue says "
              + spec.partitions()
              + "; partitions are never shrunk");
      return;
    }
    String growth = "partitions " + actual + " -> " + spec.partitions();
    if (!change) {
      report.drift(spec.name(), growth);
    } else if (spec.topic() == Topic.TRACES && !allowTracesGrowth) {
      report.warn(
          spec.name(),
          growth
              + " NOT applied: adding partitions re-maps trace IDs, so spans of traces in flight"
              + " split across partitions; rerun with --allow-traces-partition-growth when the"
              + " pipeline is drained");
    } else {
      await(
          admin
              .createPartitions(Map.of(spec.name(), NewPartitions.increaseTo(spec.partitions())))
              .all());
      awaitPartitions(spec.name(), spec.partitions());
      report.changed(spec.name(), growth);
    }
  }

  private static void reconcileReplication(TopicSpec spec, TopicDescription d, TopicReport report) {
    int actual = d.partitions().get(0).replicas().size();
    if (actual != spec.replicationFactor()) {
      report.drift(
          spec.name(),
          "replication factor is "
              + actual
              + ", catalogue says "
              + spec.replicationFactor()
              + "; change it with a partition reassignment");
    }
  }

  private void reconcileConfigs(TopicSpec spec, Config config, boolean change, TopicReport report) {
    List<AlterConfigOp> ops = new ArrayList<>();
    for (Map.Entry<String, String> want : spec.configs().entrySet()) {
      ConfigEntry have = config == null ? null : config.get(want.getKey());
      String actual = have == null ? null : have.value();
      if (!want.getValue().equals(actual)) {
        String line = want.getKey() + " " + actual + " -> " + want.getValue();
        if (change) {
          ops.add(
              new AlterConfigOp(
                  new ConfigEntry(want.getKey(), want.getValue()), AlterConfigOp.OpType.SET));
          report.changed(spec.name(), line);
        } else {
          report.drift(spec.name(), line);
        }
      }
    }
    if (!ops.isEmpty()) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
      await(admin.incrementalAlterConfigs(Map.of(r, ops)).all());
    }
  }

  /** Metadata propagates asynchronously; wait so the next describe sees the change. */
  private void awaitPartitions(String topic, int partitions) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      try {
        TopicDescription d =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(topic);
        if (d.partitions().size() == partitions) {
          return;
        }
      } catch (ExecutionException e) {
        // not visible yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException e) {
        break;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException(
        topic + " did not show " + partitions + " partitions within " + TIMEOUT_SECONDS + "s");
  }

  private Map<String, TopicDescription> describe(Collection<TopicSpec> specs) {
    Set<String> present = await(admin.listTopics().names());
    List<String> wanted =
        specs.stream().map(TopicSpec::name).filter(present::contains).collect(Collectors.toList());
    return wanted.isEmpty() ? Map.of() : await(admin.describeTopics(wanted).allTopicNames());
  }

  private Map<String, Config> describeConfigs(Set<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<String, Config> out = new HashMap<>();
    await(admin.describeConfigs(resources).all()).forEach((r, c) -> out.put(r.name(), c));
    return out;
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to Kafka", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException tee) {
        throw tee;
      }
      throw new IllegalStateException(
          "Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within "
              + TIMEOUT_SECONDS
              + "s; is the bootstrap server reachable?",
          e);
    }
  }
}
