package io.otelstream.streams.app;

import io.otelstream.streams.traces.InputEnd;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input partitions' ends as the broker reports them (the last stable offset, what a read_committed
 * consumer can read). The consumer's own view is only as fresh as its last fetch, and a consumer
 * that has not fetched for a second (a rebalance, a slow transaction commit, a loaded machine) has
 * processed all it fetched while a backlog waits. Tasks ask about their partitions only once they
 * look idle; one background thread asks the broker for all such partitions together twice a second
 * and forgets a partition nobody asked about for a while, so a busy app sends no requests.
 */
final class BrokerEndOffsets implements InputEnd, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerEndOffsets.class);
  private static final Duration ASK_EVERY = Duration.ofMillis(500);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration FORGET_AFTER = Duration.ofSeconds(30);

  private record Answer(long endOffset, long askedAtMs) {}

  private final Admin admin;
  private final ScheduledExecutorService asker;
  private final Map<TopicPartition, Long> wanted = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Answer> answers = new ConcurrentHashMap<>();
  private boolean failing;

  /**
   * @param clientConfigs Kafka client settings (bootstrap, security); anything else is ignored
   */
  BrokerEndOffsets(Map<String, ?> clientConfigs, String clientId) {
    Map<String, Object> c = new HashMap<>();
    clientConfigs.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(k)) {
            c.put(k, v);
          }
        });
    c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    admin = Admin.create(c);
    asker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "otelstream-input-ends");
              t.setDaemon(true);
              return t;
            });
    asker.scheduleWithFixedDelay(
        this::ask, ASK_EVERY.toMillis(), ASK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean caughtUp(TopicPartition partition, long next, long sinceMs) {
    wanted.put(partition, System.currentTimeMillis());
    Answer a = answers.get(partition);
    return a != null && a.askedAtMs() >= sinceMs && a.endOffset() <= next;
  }

  private void ask() {
    long now = System.currentTimeMillis();
    wanted.entrySet().removeIf(e -> now - e.getValue() > FORGET_AFTER.toMillis());
    answers.keySet().retainAll(wanted.keySet());
    if (wanted.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    wanted.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
    try {
      admin
          .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .forEach((p, info) -> answers.put(p, new Answer(info.offset(), now)));
      if (failing) {
        LOG.info("input end offsets answered again; idle partitions release traces again");
        failing = false;
      }
    } catch (ExecutionException | TimeoutException e) {
      if (!failing) {
        // Without an answer idle partitions keep their traces (never decided early); they are
        // decided when a record arrives or an answer does.
        LOG.warn(
            "cannot read input end offsets; idle partitions hold their traces until it can", e);
        failing = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    asker.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
