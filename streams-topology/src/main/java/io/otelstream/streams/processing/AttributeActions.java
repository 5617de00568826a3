package io.otelstream.streams.processing;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The actions of one {@code attributes} or {@code resource} processor, applied in order to an
 * attribute list as the Collector applies them to an attribute map (hash is SHA-256, as in current
 * Collector releases; values that are not strings, booleans or numbers hash to the empty string).
 */
final class AttributeActions {
  private final List<Compiled> actions;
  // One digest per stream thread: hash actions run on every item.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

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

  /**
   * The attributes after every action; the same list when no action changed anything (the common
   * case for most items), so callers can skip rebuilding the item.
   */
  List<KeyValue> apply(List<KeyValue> attributes) {
    List<KeyValue> list = null; // copied on the first change
    for (Compiled c : actions) {
      List<KeyValue> current = list != null ? list : attributes;
      List<KeyValue> changed = apply(c, current, list != null);
      if (changed != null) {
        list = changed;
      }
    }
    return list != null ? list : attributes;
  }

  private static int indexOf(List<KeyValue> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static List<KeyValue> writable(List<KeyValue> list, boolean owned) {
    return owned ? list : new ArrayList<>(list);
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  /** Applies one action; returns the changed list (a copy unless {@code owned}), or null. */
  private static List<KeyValue> apply(Compiled c, List<KeyValue> list, boolean owned) {
    String key = c.config().key();
    switch (c.config().action()) {
      case "delete" -> {
        List<KeyValue> out = null;
        for (int i = list.size() - 1; i >= 0; i--) {
          String k = list.get(i).getKey();
          if ((key != null && k.equals(key))
              || (c.pattern() != null && c.pattern().matcher(k).find())) {
            out = out != null ? out : writable(list, owned);
            out.remove(i);
          }
        }
        return out;
      }
      case "hash" -> {
        List<KeyValue> out = null;
        for (int i = 0; i < list.size(); i++) {
          KeyValue kv = list.get(i);
          if ((key != null && kv.getKey().equals(key))
              || (c.pattern() != null && c.pattern().matcher(kv.getKey()).find())) {
            out = out != null ? out : writable(list, owned);
            out.set(i, kv(kv.getKey(), hash(kv.getValue())));
          }
        }
        return out;
      }
      case "insert", "update", "upsert" -> {
        AnyValue v = source(c, list);
        if (v == null) {
          return null;
        }
        int i = indexOf(list, key);
        String action = c.config().action();
        if (i < 0 && !action.equals("update")) {
          List<KeyValue> out = writable(list, owned);
          out.add(kv(key, v));
          return out;
        }
        if (i >= 0 && !action.equals("insert")) {
          List<KeyValue> out = writable(list, owned);
          out.set(i, kv(key, v));
          return out;
        }
        return null;
      }
      case "extract" -> {
        int i = indexOf(list, key);
        if (i < 0 || list.get(i).getValue().getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
          return null;
        }
        Matcher m = c.groups().pattern().matcher(list.get(i).getValue().getStringValue());
        if (!m.find()) {
          return null;
        }
        List<KeyValue> out = writable(list, owned);
        List<String> names = c.groups().names();
        for (int g = 0; g < names.size(); g++) {
          String value = m.group("g" + (g + 1));
          KeyValue put = kv(names.get(g), AnyValues.string(value == null ? "" : value));
          int at = indexOf(out, names.get(g));
          if (at >= 0) {
            out.set(at, put);
          } else {
            out.add(put);
          }
        }
        return out;
      }
      case "convert" -> {
        int i = indexOf(list, key);
        if (i < 0) {
          return null;
        }
        AnyValue before = list.get(i).getValue();
        AnyValue after = convert(before, c.config().convertedType());
        if (after == before) {
          return null;
        }
        List<KeyValue> out = writable(list, owned);
        out.set(i, kv(key, after));
        return out;
      }
      default -> throw new IllegalStateException(c.config().action());
    }
  }

  private static AnyValue source(Compiled c, List<KeyValue> list) {
    if (c.value() != null) {
      return c.value();
    }
    int i = indexOf(list, c.config().fromAttribute());
    return i < 0 ? null : list.get(i).getValue();
  }

  static AnyValue hash(AnyValue v) {
    byte[] in = AnyValues.hashInput(v);
    if (in.length == 0) {
      return AnyValues.string("");
    }
    return AnyValues.string(HexFormat.of().formatHex(SHA256.get().digest(in)));
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
