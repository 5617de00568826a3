package io.otelstream.streams.processing;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The actions of one {@code attributes} or {@code resource} processor, applied in order to an
 * attribute list as the Collector applies them to an attribute map (hash is SHA-256, as in current
 * Collector releases; values that are not strings, booleans or numbers hash to the empty string).
 */
final class AttributeActions {
  private final List<Compiled> actions;

  private record Compiled(
      ActionConfig config, AnyValue value, Pattern pattern, GoRegex.NamedGroups groups) {}

  AttributeActions(List<ActionConfig> configs) {
    List<Compiled> out = new ArrayList<>();
    for (ActionConfig a : configs) {
      boolean extract = a.action().equals("extract");
      out.add(
          new Compiled(
              a,
              a.value() != null ? AnyValues.of(a.value()) : null,
              a.pattern() != null && !extract ? GoRegex.compile(a.pattern()) : null,
              extract ? GoRegex.NamedGroups.of(a.pattern()) : null));
    }
    this.actions = List.copyOf(out);
  }

  boolean isEmpty() {
    return actions.isEmpty();
  }

  List<KeyValue> apply(List<KeyValue> attributes) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      map.put(kv.getKey(), kv.getValue());
    }
    for (Compiled c : actions) {
      apply(c, map);
    }
    List<KeyValue> out = new ArrayList<>(map.size());
    map.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build()));
    return out;
  }

  private static void apply(Compiled c, Map<String, AnyValue> map) {
    String key = c.config().key();
    switch (c.config().action()) {
      case "delete" -> {
        if (key != null) {
          map.remove(key);
        }
        if (c.pattern() != null) {
          map.keySet().removeIf(k -> c.pattern().matcher(k).find());
        }
      }
      case "hash" -> {
        if (key != null) {
          map.computeIfPresent(key, (k, v) -> hash(v));
        }
        if (c.pattern() != null) {
          map.replaceAll((k, v) -> c.pattern().matcher(k).find() ? hash(v) : v);
        }
      }
      case "insert" -> {
        AnyValue v = source(c, map);
        if (v != null && !map.containsKey(key)) {
          map.put(key, v);
        }
      }
      case "update" -> {
        AnyValue v = source(c, map);
        if (v != null && map.containsKey(key)) {
          map.put(key, v);
        }
      }
      case "upsert" -> {
        AnyValue v = source(c, map);
        if (v != null) {
          map.put(key, v);
        }
      }
      case "extract" -> {
        AnyValue v = map.get(key);
        if (v == null || v.getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
          return;
        }
        Matcher m = c.groups().pattern().matcher(v.getStringValue());
        if (!m.find()) {
          return;
        }
        List<String> names = c.groups().names();
        for (int i = 0; i < names.size(); i++) {
          String g = m.group("g" + (i + 1));
          map.put(names.get(i), AnyValues.string(g == null ? "" : g));
        }
      }
      case "convert" -> map.computeIfPresent(key, (k, v) -> convert(v, c.config().convertedType()));
      default -> throw new IllegalStateException(c.config().action());
    }
  }

  private static AnyValue source(Compiled c, Map<String, AnyValue> map) {
    return c.value() != null ? c.value() : map.get(c.config().fromAttribute());
  }

  static AnyValue hash(AnyValue v) {
    byte[] in = AnyValues.hashInput(v);
    if (in.length == 0) {
      return AnyValues.string("");
    }
    try {
      return AnyValues.string(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** As the Collector: a value that cannot be converted is left as it is. */
  private static AnyValue convert(AnyValue v, String to) {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (to) {
      case "string" -> {
        return v.getValueCase() == AnyValue.ValueCase.STRING_VALUE
            ? v
            : AnyValues.string(AnyValues.asString(v));
      }
      case "int" -> {
        switch (v.getValueCase()) {
          case DOUBLE_VALUE -> {
            return b.setIntValue((long) v.getDoubleValue()).build();
          }
          case BOOL_VALUE -> {
            return b.setIntValue(v.getBoolValue() ? 1 : 0).build();
          }
          case STRING_VALUE -> {
            try {
              return b.setIntValue(Long.parseLong(v.getStringValue())).build();
            } catch (NumberFormatException e) {
              return v;
            }
          }
          default -> {
            return v;
          }
        }
      }
      case "double" -> {
        switch (v.getValueCase()) {
          case INT_VALUE -> {
            return b.setDoubleValue(v.getIntValue()).build();
          }
          case BOOL_VALUE -> {
            return b.setDoubleValue(v.getBoolValue() ? 1 : 0).build();
          }
          case STRING_VALUE -> {
            try {
              return b.setDoubleValue(Double.parseDouble(v.getStringValue().trim())).build();
            } catch (NumberFormatException e) {
              return v;
            }
          }
          default -> {
            return v;
          }
        }
      }
      default -> {
        return v;
      }
    }
  }
}
