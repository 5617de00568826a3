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
  /**
   * Per thread: one MD5 and one buffer the identity's fields are written into before a single
   * digest update (updating the digest field by field cost more than the hashing itself).
   */
  private static final ThreadLocal<Writer> WRITER = ThreadLocal.withInitial(Writer::new);

  private SeriesKeys() {}

  public static byte[] metric(String tenant, String name) {
    Writer w = WRITER.get().reset();
    w.text(tenant == null ? "" : tenant);
    w.text(name);
    return w.digest();
  }

  static byte[] source(byte[] resourceKey, InstrumentationScope scope, Metric m, List<KeyValue> a) {
    Writer w = WRITER.get().reset();
    w.bytes(resourceKey, resourceKey.length);
    w.scope(scope);
    w.descriptor(m);
    w.attributes(a);
    return w.digest();
  }

  public static byte[] series(
      String tenant,
      List<KeyValue> resource,
      InstrumentationScope scope,
      Metric m,
      List<KeyValue> attributes) {
    Writer w = WRITER.get().reset();
    w.text(tenant == null ? "" : tenant);
    w.attributes(resource);
    w.scope(scope);
    w.descriptor(m);
    w.attributes(attributes);
    return w.digest();
  }

  /** 64-bit FNV-1a of an attribute value, for the guard's distinct-value sets. */
  static long valueHash(AnyValue v) {
    long h = 0xcbf29ce484222325L;
    if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      String s = v.getStringValue();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        h ^= c & 0xff;
        h *= 0x100000001b3L;
        h ^= c >>> 8;
        h *= 0x100000001b3L;
      }
      return h;
    }
    for (byte b : v.toByteArray()) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return ~h; // other kinds never collide with a string of the same bytes
  }

  /** The fields of an identity, length-prefixed, in one growing buffer. */
  private static final class Writer {
    private final MessageDigest md5 = md5();
    private byte[] buf = new byte[512];
    private int len;

    Writer reset() {
      len = 0;
      return this;
    }

    byte[] digest() {
      md5.update(buf, 0, len);
      return md5.digest();
    }

    void descriptor(Metric m) {
      text(m.getName());
      text(m.getUnit());
      text(m.getDataCase().name());
      ensure(1);
      buf[len++] = (byte) (m.hasSum() && m.getSum().getIsMonotonic() ? 1 : 0);
    }

    void scope(InstrumentationScope scope) {
      text(scope.getName());
      text(scope.getVersion());
    }

    void attributes(List<KeyValue> attributes) {
      List<KeyValue> sorted = attributes;
      for (int i = 1; i < attributes.size(); i++) {
        if (attributes.get(i - 1).getKey().compareTo(attributes.get(i).getKey()) > 0) {
          sorted = new ArrayList<>(attributes);
          sorted.sort(Comparator.comparing(KeyValue::getKey));
          break;
        }
      }
      length(sorted.size());
      for (KeyValue kv : sorted) {
        text(kv.getKey());
        AnyValue v = kv.getValue();
        if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
          ensure(1);
          buf[len++] = 's';
          text(v.getStringValue());
        } else {
          byte[] b = v.toByteArray();
          ensure(1);
          buf[len++] = 'v';
          length(b.length);
          bytes(b, b.length);
        }
      }
    }

    void text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      length(b.length);
      bytes(b, b.length);
    }

    void bytes(byte[] b, int n) {
      ensure(n);
      System.arraycopy(b, 0, buf, len, n);
      len += n;
    }

    void length(int n) {
      ensure(4);
      buf[len++] = (byte) (n >>> 24);
      buf[len++] = (byte) (n >>> 16);
      buf[len++] = (byte) (n >>> 8);
      buf[len++] = (byte) n;
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}
