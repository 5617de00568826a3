package io.otelstream.streams.aggregation;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.otelstream.schemas.AvroState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The cardinality guard's state for one metric of one tenant: exact sets of value hashes per
 * attribute in two half-windows (at most limit + 1 hashes each, so memory is bounded by the limit),
 * the attributes it dropped, the metric's active series and its overflow.
 */
final class MetricGuard {
  final String tenant;
  final String metric;
  long epoch;
  int activeSeries;
  Long overflowSinceMs;
  long overflowPoints;

  /** Changed since it was last written to the store. */
  boolean dirty;

  final Map<String, Attribute> attributes = new LinkedHashMap<>();

  /** One attribute's distinct values, or the time the guard dropped it. */
  static final class Attribute {
    Long droppedSinceMs;
    int distinctAtDrop;
    Set<Long> current = new HashSet<>();
    Set<Long> previous = new HashSet<>();

    int distinct() {
      int n = current.size();
      for (Long h : previous) {
        if (!current.contains(h)) {
          n++;
        }
      }
      return n;
    }
  }

  MetricGuard(String tenant, String metric) {
    this.tenant = tenant;
    this.metric = metric;
  }

  /**
   * Counts the attributes' values at wall-clock {@code nowMs}; returns the attributes this call
   * pushed over the limit (now dropped), empty when none.
   */
  List<String> observe(
      List<KeyValue> attrs, long nowMs, long halfWindowMs, CardinalityConfig.Limits limits) {
    rotate(nowMs / halfWindowMs);
    List<String> dropped = List.of();
    for (KeyValue kv : attrs) {
      if (limits.neverDrop().contains(kv.getKey())) {
        continue;
      }
      Attribute a = attributes.computeIfAbsent(kv.getKey(), k -> new Attribute());
      if (a.droppedSinceMs != null) {
        continue;
      }
      long h = SeriesKeys.valueHash(kv.getValue());
      if (!a.current.add(h)) {
        continue;
      }
      dirty = true;
      if (a.previous.contains(h)) {
        continue;
      }
      int distinct = a.distinct();
      if (distinct > limits.maxValuesPerAttribute()) {
        a.droppedSinceMs = nowMs;
        a.distinctAtDrop = distinct;
        a.current = new HashSet<>();
        a.previous = new HashSet<>();
        dropped = dropped.isEmpty() ? new ArrayList<>() : dropped;
        dropped.add(kv.getKey());
      }
    }
    return dropped;
  }

  /** Whether the guard dropped this attribute from the metric. */
  boolean isDropped(String key) {
    Attribute a = attributes.get(key);
    return a != null && a.droppedSinceMs != null;
  }

  /** The attributes without those the guard dropped. */
  List<KeyValue> filter(List<KeyValue> attrs) {
    List<KeyValue> out = null;
    for (int i = 0; i < attrs.size(); i++) {
      if (isDropped(attrs.get(i).getKey())) {
        if (out == null) {
          out = new ArrayList<>(attrs.subList(0, i));
        }
      } else if (out != null) {
        out.add(attrs.get(i));
      }
    }
    return out == null ? attrs : out;
  }

  private void rotate(long nowEpoch) {
    if (nowEpoch <= epoch) {
      return;
    }
    for (Attribute a : attributes.values()) {
      a.previous = nowEpoch == epoch + 1 ? a.current : new HashSet<>();
      a.current = new HashSet<>();
    }
    epoch = nowEpoch;
    dirty = true;
  }

  byte[] encode() {
    AvroState state = AvroState.CARDINALITY_GUARD;
    Schema attrSchema = state.schema().getField("attributes").schema().getElementType();
    GenericRecord r = state.newRecord();
    r.put("tenant", tenant);
    r.put("metric", metric);
    r.put("epoch", epoch);
    r.put("activeSeries", activeSeries);
    r.put("overflowSinceMs", overflowSinceMs);
    r.put("overflowPoints", overflowPoints);
    List<GenericRecord> attrs = new ArrayList<>(attributes.size());
    attributes.forEach(
        (key, a) -> {
          GenericRecord ar = new GenericData.Record(attrSchema);
          ar.put("key", key);
          ar.put("droppedSinceMs", a.droppedSinceMs);
          ar.put("distinctAtDrop", a.distinctAtDrop);
          ar.put("current", new ArrayList<>(a.current));
          ar.put("previous", new ArrayList<>(a.previous));
          attrs.add(ar);
        });
    r.put("attributes", attrs);
    return state.encode(r);
  }

  @SuppressWarnings("unchecked")
  static MetricGuard decode(byte[] bytes) {
    GenericRecord r = AvroState.CARDINALITY_GUARD.decode(bytes);
    MetricGuard g =
        new MetricGuard(
            r.get("tenant") == null ? null : r.get("tenant").toString(),
            r.get("metric").toString());
    g.epoch = (Long) r.get("epoch");
    g.activeSeries = (Integer) r.get("activeSeries");
    g.overflowSinceMs = (Long) r.get("overflowSinceMs");
    g.overflowPoints = (Long) r.get("overflowPoints");
    for (GenericRecord ar : (List<GenericRecord>) r.get("attributes")) {
      Attribute a = new Attribute();
      a.droppedSinceMs = (Long) ar.get("droppedSinceMs");
      a.distinctAtDrop = (Integer) ar.get("distinctAtDrop");
      a.current = new HashSet<>((List<Long>) ar.get("current"));
      a.previous = new HashSet<>((List<Long>) ar.get("previous"));
      g.attributes.put(ar.get("key").toString(), a);
    }
    return g;
  }
}
