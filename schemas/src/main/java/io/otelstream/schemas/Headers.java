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

  /** The tenant a record carries (its last tenant header), or null for none. */
  public static String tenant(org.apache.kafka.common.header.Headers headers) {
    org.apache.kafka.common.header.Header h = headers.lastHeader(TENANT);
    return h == null ? null : decodeTenant(h.value());
  }

  /** Headers carrying {@code tenant}; none for a null tenant. */
  public static org.apache.kafka.common.header.Headers withTenant(String tenant) {
    org.apache.kafka.common.header.internals.RecordHeaders headers =
        new org.apache.kafka.common.header.internals.RecordHeaders();
    if (tenant != null) {
      headers.add(TENANT, encodeTenant(tenant));
    }
    return headers;
  }

  /** A tenant header's value: the tenant in UTF-8. */
  public static byte[] encodeTenant(String tenant) {
    return tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The tenant in a header value (bytes, or text where a converter made it text); null stays. */
  public static String decodeTenant(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : value.toString();
  }
}
