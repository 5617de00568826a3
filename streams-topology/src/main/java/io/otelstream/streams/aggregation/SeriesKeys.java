package io.otelstream.streams.aggregation;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The 16-byte identities of the aggregation stage (MD5, an identity hash, not a security one): a
 * metric of a tenant (the repartition key: every series of a metric meets in one task, where the
 * guard counts them), a source series (as the sender wrote it) and an output series (after
 * attribute actions and the guard). Attribute order never matters.
 */
public final class SeriesKeys {
  private SeriesKeys() {}

  public static byte[] metric(String tenant, String name) {
    MessageDigest md = md5();
    text(md, tenant == null ? "" : tenant);
    text(md, name);
    return md.digest();
  }

  static byte[] source(byte[] resourceKey, InstrumentationScope scope, Metric m, List<KeyValue> a) {
    MessageDigest md = md5();
    md.update(resourceKey);
    scope(md, scope);
    descriptor(md, m);
    attributes(md, a);
    return md.digest();
  }

  static byte[] series(
      String tenant,
      List<KeyValue> resource,
      InstrumentationScope scope,
      Metric m,
      List<KeyValue> attributes) {
    MessageDigest md = md5();
    text(md, tenant == null ? "" : tenant);
    attributes(md, resource);
    scope(md, scope);
    descriptor(md, m);
    attributes(md, attributes);
    return md.digest();
  }

  /** 64-bit FNV-1a of an attribute value, for the guard's distinct-value sets. */
  static long valueHash(AnyValue v) {
    long h = 0xcbf29ce484222325L;
    for (byte b : v.toByteArray()) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static void descriptor(MessageDigest md, Metric m) {
    text(md, m.getName());
    text(md, m.getUnit());
    text(md, m.getDataCase().name());
    md.update((byte) (m.hasSum() && m.getSum().getIsMonotonic() ? 1 : 0));
  }

  private static void scope(MessageDigest md, InstrumentationScope scope) {
    text(md, scope.getName());
    text(md, scope.getVersion());
  }

  private static void attributes(MessageDigest md, List<KeyValue> attributes) {
    List<KeyValue> sorted = new ArrayList<>(attributes);
    sorted.sort(Comparator.comparing(KeyValue::getKey));
    length(md, sorted.size());
    for (KeyValue kv : sorted) {
      text(md, kv.getKey());
      byte[] v = kv.getValue().toByteArray();
      length(md, v.length);
      md.update(v);
    }
  }

  private static void text(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    length(md, b.length);
    md.update(b);
  }

  private static void length(MessageDigest md, int n) {
    md.update((byte) (n >>> 24));
    md.update((byte) (n >>> 16));
    md.update((byte) (n >>> 8));
    md.update((byte) n);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}
