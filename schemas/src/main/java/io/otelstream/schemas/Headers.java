package io.otelstream.schemas;

/** Kafka record header names shared by every stage. */
public final class Headers {
  /** The tenant of a multi-tenant edge; preserved by every stage, sent as X-Scope-OrgID. */
  public static final String TENANT = "otelstream.tenant";

  /** On a dead-lettered record: the topic it was read from. */
  public static final String DEADLETTER_TOPIC = "otelstream.deadletter.topic";

  /** On a dead-lettered record: the partition it was read from. */
  public static final String DEADLETTER_PARTITION = "otelstream.deadletter.partition";

  /** On a dead-lettered record: its offset in that partition. */
  public static final String DEADLETTER_OFFSET = "otelstream.deadletter.offset";

  /** On a dead-lettered record: why it could not be processed (a bounded word). */
  public static final String DEADLETTER_REASON = "otelstream.deadletter.reason";

  private Headers() {}
}
