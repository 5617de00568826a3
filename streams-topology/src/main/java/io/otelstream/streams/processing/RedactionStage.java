package io.otelstream.streams.processing;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelstream.streams.signals.DataPoints;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Collector's {@code redaction} processor: on resource, span, span-event, data-point and
 * log-record attributes and on log bodies, keys not allowed are removed (unless {@code
 * allow_all_keys}), values of keys matching a blocked key pattern are masked whole, and the parts
 * of string values matching a blocked value pattern are masked ({@code ****}, or their hash with
 * {@code hash_function}); ignored keys and values matching an allowed value pattern are left as
 * they are. With {@code summary} info or debug the counts (and with debug the keys) are added as
 * {@code redaction.*} attributes, as the Collector adds them. Every removal and mask is counted.
 */
final class RedactionStage implements Stage {
  static final String KEY_NOT_ALLOWED = "key_not_allowed";
  static final String BLOCKED_KEY = "blocked_key";
  static final String BLOCKED_VALUE = "blocked_value";
  private static final Pattern EVERYTHING = Pattern.compile(".*");
  private static final Set<String> SUMMARY_KEYS =
      Set.of(
          "redaction.redacted.keys",
          "redaction.redacted.count",
          "redaction.masked.keys",
          "redaction.masked.count",
          "redaction.ignored.count");

  private final String name;
  private final ProcessorConfigs.Redaction config;
  private final Set<String> allowed;
  private final Set<String> ignored;
  private final List<Pattern> blockedValues;
  private final List<Pattern> allowedValues;
  private final List<Pattern> blockedKeys;

  RedactionStage(String name, ProcessorConfigs.Redaction config) {
    this.name = name;
    this.config = config;
    Set<String> a = new java.util.HashSet<>(config.allowedKeys());
    a.addAll(SUMMARY_KEYS);
    this.allowed = Set.copyOf(a);
    this.ignored = Set.copyOf(config.ignoredKeys());
    this.blockedValues = config.blockedValues().stream().map(GoRegex::compile).toList();
    this.allowedValues = config.allowedValues().stream().map(GoRegex::compile).toList();
    this.blockedKeys = config.blockedKeyPatterns().stream().map(GoRegex::compile).toList();
  }

  @Override
  public String name() {
    return name;
  }

  /** What one attribute list or body lost, for the summary and the counters. */
  private static final class Outcome {
    final List<String> redacted = new ArrayList<>();
    final List<String> masked = new ArrayList<>();
    final List<String> allowedValue = new ArrayList<>();
    final List<String> ignoredKeys = new ArrayList<>();
    long maskedByKey;
    long maskedByValue;

    boolean isEmpty() {
      return redacted.isEmpty()
          && masked.isEmpty()
          && allowedValue.isEmpty()
          && ignoredKeys.isEmpty();
    }
  }

  @Override
  public long traces(ExportTraceServiceRequest.Builder request, Pipelines.Drops counts) {
    for (var rs : request.getResourceSpansBuilderList()) {
      resource(rs.getResourceBuilder(), counts);
      for (var ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder s : ss.getSpansBuilderList()) {
          var before = s.getAttributesList();
          var edited = attributes(before, counts);
          if (edited != before) {
            s.clearAttributes().addAllAttributes(edited);
          }
          for (Span.Event.Builder e : s.getEventsBuilderList()) {
            var eventBefore = e.getAttributesList();
            var ev = attributes(eventBefore, counts);
            if (ev != eventBefore) {
              e.clearAttributes().addAllAttributes(ev);
            }
          }
        }
      }
    }
    return 0;
  }

  @Override
  public long metrics(ExportMetricsServiceRequest.Builder request, Pipelines.Drops counts) {
    UnaryOperator<List<KeyValue>> points = kvs -> attributes(kvs, counts);
    for (var rm : request.getResourceMetricsBuilderList()) {
      resource(rm.getResourceBuilder(), counts);
      for (var sm : rm.getScopeMetricsBuilderList()) {
        for (int i = 0; i < sm.getMetricsCount(); i++) {
          Metric m = sm.getMetrics(i);
          sm.setMetrics(i, DataPoints.editAttributes(m, points));
        }
      }
    }
    return 0;
  }

  @Override
  public long logs(ExportLogsServiceRequest.Builder request, Pipelines.Drops counts) {
    for (var rl : request.getResourceLogsBuilderList()) {
      resource(rl.getResourceBuilder(), counts);
      for (var sl : rl.getScopeLogsBuilderList()) {
        for (LogRecord.Builder l : sl.getLogRecordsBuilderList()) {
          List<KeyValue> attrs = attributes(l.getAttributesList(), counts);
          Outcome body = new Outcome();
          if (l.hasBody()) {
            l.setBody(body(l.getBody(), null, body));
          }
          count(body, counts);
          attrs = summarize(attrs, body, "redaction.body.");
          l.clearAttributes().addAllAttributes(attrs);
        }
      }
    }
    return 0;
  }

  private void resource(Resource.Builder r, Pipelines.Drops counts) {
    var before = r.getAttributesList();
    var edited = attributes(before, counts);
    if (edited != before) {
      r.clearAttributes().addAllAttributes(edited);
    }
  }

  /** The redacted attributes; the same list when nothing changed and no summary is asked for. */
  private List<KeyValue> attributes(List<KeyValue> in, Pipelines.Drops counts) {
    Outcome o = new Outcome();
    List<KeyValue> out = new ArrayList<>(in.size());
    boolean changed = false;
    for (KeyValue kv : in) {
      String k = kv.getKey();
      if (ignored.contains(k)) {
        o.ignoredKeys.add(k);
        out.add(kv);
        continue;
      }
      if (!config.allowAllKeys() && !allowed.contains(k)) {
        o.redacted.add(k);
        changed = true;
        continue;
      }
      AnyValue masked = maskValue(k, kv.getValue(), o, k);
      changed |= masked != null;
      out.add(masked == null ? kv : kv.toBuilder().setValue(masked).build());
    }
    if (!changed && (config.summary().equals("silent") || o.isEmpty())) {
      return in;
    }
    count(o, counts);
    return summarize(out, o, "redaction.");
  }

  /** The masked value, or null when it stays as it is. */
  private AnyValue maskValue(String key, AnyValue value, Outcome o, String path) {
    boolean string = value.getValueCase() == AnyValue.ValueCase.STRING_VALUE;
    String text =
        string ? value.getStringValue() : config.redactAllTypes() ? AnyValues.asString(value) : "";
    if (matchesAny(allowedValues, text)) {
      o.allowedValue.add(path);
      return null;
    }
    if (matchesAny(blockedKeys, key)) {
      o.masked.add(path);
      o.maskedByKey++;
      return AnyValues.string(mask(text, EVERYTHING));
    }
    if (!string && !config.redactAllTypes()) {
      return null;
    }
    String processed = text;
    for (Pattern p : blockedValues) {
      if (p.matcher(processed).find()) {
        processed = mask(processed, p);
      }
    }
    if (processed.equals(text)) {
      return null;
    }
    o.masked.add(path);
    o.maskedByValue++;
    return AnyValues.string(processed);
  }

  /** A log body: maps and arrays recursively (their keys as paths), anything else as its text. */
  private AnyValue body(AnyValue v, String path, Outcome o) {
    switch (v.getValueCase()) {
      case KVLIST_VALUE -> {
        KeyValueList.Builder out = KeyValueList.newBuilder();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          String k = kv.getKey();
          String p = path == null ? k : path + "." + k;
          if (ignored.contains(k)) {
            o.ignoredKeys.add(p);
            out.addValues(kv);
          } else if (!config.allowAllKeys() && !allowed.contains(k)) {
            o.redacted.add(p);
          } else if (matchesAny(blockedKeys, k)) {
            o.masked.add(p);
            o.maskedByKey++;
            String text =
                kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
                    ? kv.getValue().getStringValue()
                    : "";
            out.addValues(kv.toBuilder().setValue(AnyValues.string(mask(text, EVERYTHING))));
          } else {
            out.addValues(kv.toBuilder().setValue(body(kv.getValue(), p, o)));
          }
        }
        return AnyValue.newBuilder().setKvlistValue(out).build();
      }
      case ARRAY_VALUE -> {
        ArrayValue.Builder out = ArrayValue.newBuilder();
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          String p = path == null ? "[" + i + "]" : path + ".[" + i + "]";
          out.addValues(body(values.get(i), p, o));
        }
        return AnyValue.newBuilder().setArrayValue(out).build();
      }
      default -> {
        String key = path == null ? "body" : path;
        String text = AnyValues.asString(v);
        if (matchesAny(allowedValues, text)) {
          o.allowedValue.add(key);
          return v;
        }
        String processed = text;
        for (Pattern p : blockedValues) {
          if (p.matcher(processed).find()) {
            processed = mask(processed, p);
          }
        }
        if (processed.equals(text)) {
          return v;
        }
        o.masked.add(key);
        o.maskedByValue++;
        return AnyValues.string(processed);
      }
    }
  }

  private void count(Outcome o, Pipelines.Drops counts) {
    if (!o.redacted.isEmpty()) {
      counts.redacted(name, KEY_NOT_ALLOWED, o.redacted.size());
    }
    if (o.maskedByKey > 0) {
      counts.redacted(name, BLOCKED_KEY, o.maskedByKey);
    }
    if (o.maskedByValue > 0) {
      counts.redacted(name, BLOCKED_VALUE, o.maskedByValue);
    }
  }

  /** The Collector's summary attributes, merged with ones already there. */
  private List<KeyValue> summarize(List<KeyValue> attrs, Outcome o, String prefix) {
    if (config.summary().equals("silent")) {
      return attrs;
    }
    java.util.Map<String, AnyValue> map = new java.util.LinkedHashMap<>();
    attrs.forEach(kv -> map.put(kv.getKey(), kv.getValue()));
    summary(map, o.redacted, prefix + "redacted");
    summary(map, o.masked, prefix + "masked");
    summary(map, o.allowedValue, prefix + "allowed");
    summary(map, o.ignoredKeys, prefix + "ignored");
    List<KeyValue> out = new ArrayList<>(map.size());
    map.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build()));
    return out;
  }

  private void summary(java.util.Map<String, AnyValue> map, List<String> keys, String base) {
    if (keys.isEmpty()) {
      return;
    }
    if (config.summary().equals("debug") && !base.endsWith("ignored")) {
      AnyValue existing = map.get(base + ".keys");
      List<String> sorted = new ArrayList<>(keys);
      if (existing != null && !existing.getStringValue().isEmpty()) {
        sorted.addAll(List.of(existing.getStringValue().split(",")));
      }
      java.util.Collections.sort(sorted);
      map.put(base + ".keys", AnyValues.string(String.join(",", sorted)));
    }
    long n = keys.size();
    AnyValue existing = map.get(base + ".count");
    if (existing != null) {
      n += existing.getIntValue();
    }
    map.put(base + ".count", AnyValue.newBuilder().setIntValue(n).build());
  }

  /** Every match replaced, skipping an empty match right after a match, as Go replaces. */
  private String mask(String value, Pattern pattern) {
    Matcher m = pattern.matcher(value);
    StringBuilder sb = new StringBuilder();
    int last = 0;
    int previousEnd = -1;
    while (m.find()) {
      if (m.start() == m.end() && m.start() == previousEnd) {
        continue;
      }
      sb.append(value, last, m.start()).append(replacement(m.group()));
      last = m.end();
      previousEnd = m.end();
    }
    return sb.append(value.substring(last)).toString();
  }

  private String replacement(String match) {
    String algorithm =
        switch (config.hashFunction()) {
          case "md5" -> "MD5";
          case "sha1" -> "SHA-1";
          case "sha3" -> "SHA3-256";
          default -> null;
        };
    if (algorithm == null) {
      return "****";
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm)
                  .digest(match.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean matchesAny(List<Pattern> patterns, String s) {
    for (Pattern p : patterns) {
      if (p.matcher(s).find()) {
        return true;
      }
    }
    return false;
  }
}
