package io.otelstream.schemas;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Record keys of the raw topics, as DESIGN.md defines them: the trace ID as 32 lowercase hex ASCII
 * characters for traces, a deterministic 16-byte hash of the resource attributes for metrics and
 * logs.
 */
public final class RecordKeys {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private RecordKeys() {}

  /** The 32 lowercase hex ASCII bytes of a 16-byte trace ID. */
  public static byte[] traceKey(ByteString traceId) {
    byte[] out = new byte[traceId.size() * 2];
    for (int i = 0; i < traceId.size(); i++) {
      int b = traceId.byteAt(i) & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0x0f];
    }
    return out;
  }

  /** The 32 lowercase hex ASCII bytes of a 16-byte trace ID. */
  public static byte[] traceKey(byte[] traceId) {
    return traceKey(ByteString.copyFrom(traceId));
  }

  /**
   * The 16 trace-ID bytes of a trace record key, or null when the key is not 32 hex characters
   * (upper case is accepted: a Collector's exporter may write it).
   */
  public static byte[] traceIdOf(byte[] key) {
    if (key == null || key.length != 32) {
      return null;
    }
    byte[] id = new byte[16];
    for (int i = 0; i < 16; i++) {
      int hi = Character.digit(key[2 * i], 16);
      int lo = Character.digit(key[2 * i + 1], 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      id[i] = (byte) (hi << 4 | lo);
    }
    return id;
  }

  /** The trace key as a string, for logs and tests. */
  public static String traceKeyString(ByteString traceId) {
    return new String(traceKey(traceId), StandardCharsets.US_ASCII);
  }

  /**
   * MD5 (16 bytes; a partitioning hash, not a security one) over the resource attributes sorted by
   * key, each encoded as its key and its canonical protobuf AnyValue bytes, so equal attribute sets
   * always give equal keys whatever order the client sent them in.
   */
  public static byte[] resourceKey(Resource resource) {
    List<KeyValue> attributes = new ArrayList<>(resource.getAttributesList());
    attributes.sort(Comparator.comparing(KeyValue::getKey));
    MessageDigest md5 = md5();
    for (KeyValue kv : attributes) {
      byte[] key = kv.getKey().getBytes(StandardCharsets.UTF_8);
      updateLength(md5, key.length);
      md5.update(key);
      byte[] value = canonical(kv.getValue());
      updateLength(md5, value.length);
      md5.update(value);
    }
    return md5.digest();
  }

  private static byte[] canonical(AnyValue value) {
    // Protobuf serialisation of one message is deterministic for a given library version;
    // map fields do not occur in AnyValue, so field order is fixed.
    return value.toByteArray();
  }

  private static void updateLength(MessageDigest md, int length) {
    md.update((byte) (length >>> 24));
    md.update((byte) (length >>> 16));
    md.update((byte) (length >>> 8));
    md.update((byte) length);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java platform", e);
    }
  }
}
