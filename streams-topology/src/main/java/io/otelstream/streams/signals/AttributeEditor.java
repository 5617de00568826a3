package io.otelstream.streams.signals;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Applies delete / hash / keep-only to an attribute list. */
public final class AttributeEditor {
  private final List<MetricsConfig.AttributeAction> actions;
  private final Set<String> keepOnly;

  public AttributeEditor(List<MetricsConfig.AttributeAction> actions, List<String> keepOnly) {
    this.actions = actions;
    this.keepOnly = keepOnly == null ? null : Set.copyOf(keepOnly);
  }

  public boolean isNoop() {
    return actions.isEmpty() && keepOnly == null;
  }

  public List<KeyValue> apply(List<KeyValue> attributes) {
    List<KeyValue> out = new ArrayList<>(attributes.size());
    for (KeyValue kv : attributes) {
      if (keepOnly != null && !keepOnly.contains(kv.getKey())) {
        continue;
      }
      KeyValue edited = kv;
      for (MetricsConfig.AttributeAction a : actions) {
        if (edited != null && a.key().equals(edited.getKey())) {
          edited = a.action().equals("delete") ? null : hashed(edited);
        }
      }
      if (edited != null) {
        out.add(edited);
      }
    }
    return out;
  }

  private static KeyValue hashed(KeyValue kv) {
    AnyValue v = kv.getValue();
    String text =
        v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue() : v.toString();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return kv.toBuilder()
          .setValue(AnyValue.newBuilder().setStringValue(HexFormat.of().formatHex(digest)))
          .build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
