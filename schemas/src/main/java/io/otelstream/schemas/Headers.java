package io.otelstream.schemas;

/** Kafka record header names shared by every stage. */
public final class Headers {
  /** The tenant of a multi-tenant edge; preserved by every stage, sent as X-Scope-OrgID. */
  public static final String TENANT = "otelstream.tenant";

  private Headers() {}
}
