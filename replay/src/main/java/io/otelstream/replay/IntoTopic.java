package io.otelstream.replay;

import io.otelstream.streams.app.StreamsAppConfig;
import io.otelstream.topics.Topic;
import io.otelstream.topics.TopicCatalog;

/**
 * Which topics a sample replay may write its kept traces into. Not the live sampled topic (its
 * sinks would deliver the traces again) unless asked; never, unless asked, a topic the pipeline
 * itself reads or writes (the input would feed the replay back into sampling), a Streams internal
 * topic of the app (its changelogs and repartition topics) or an internal topic of Kafka or Connect
 * (by convention their names start with an underscore: {@code __consumer_offsets}, {@code
 * _otelstream-connect-offsets}).
 */
public final class IntoTopic {
  private IntoTopic() {}

  /**
   * @param allowLive {@code --allow-live-topic}: the live sampled topic is allowed
   * @param allowInternal {@code --allow-internal-topic}: any topic is allowed
   * @return a warning to print, or null
   */
  public static String check(
      StreamsAppConfig live, String into, boolean allowLive, boolean allowInternal) {
    TopicCatalog catalog = new TopicCatalog(live.topics());
    String sampled = catalog.name(Topic.TRACES_SAMPLED);
    if (into.equals(sampled)) {
      if (!allowLive) {
        throw new ReplayException(
            "--into "
                + into
                + " is the live sampled topic: its sinks would deliver traces the backend may"
                + " already have; add --allow-live-topic to do it anyway");
      }
      return "warning: writing into " + into + ": its sinks will deliver these traces again";
    }
    String why = null;
    for (Topic t : Topic.values()) {
      if (catalog.name(t).equals(into)) {
        why = "a pipeline topic (" + t.name().toLowerCase(java.util.Locale.ROOT) + ")";
      }
    }
    if (why == null && into.startsWith(live.applicationId() + "-")) {
      why = "an internal topic of streams app " + live.applicationId();
    }
    if (why == null && into.startsWith("_")) {
      why = "an internal topic of Kafka or Connect";
    }
    if (why == null) {
      return null;
    }
    if (!allowInternal) {
      throw new ReplayException(
          "--into "
              + into
              + " is "
              + why
              + ": kept traces written there would corrupt it or loop back into the pipeline;"
              + " pick a new topic (with --create-topic), or add --allow-internal-topic if you"
              + " really mean it");
    }
    return "warning: writing into " + into + ", " + why;
  }
}
