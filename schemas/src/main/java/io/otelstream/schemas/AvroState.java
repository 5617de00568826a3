package io.otelstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro encoding of one kind of state value. Each value starts with the version byte of the schema
 * that wrote it; reading resolves that writer schema against the newest, so a newer release reads
 * state written by an older one. Schemas live in {@code io/otelstream/schemas/avro/NAME.vN.avsc}.
 *
 * <p>An older release reading state a newer one wrote (a rollback) needs the newer writer schema:
 * releases publish theirs ({@link #schemas}) and an app hands the ones it finds to {@link
 * #writerSchemas}; a newer version resolves against this release's schema as long as it only added
 * fields with defaults or removed fields that had them (the rule for new versions). A version
 * nobody published is refused with {@link UnknownStateVersionException}.
 */
public final class AvroState {
  private static final java.util.Map<String, AvroState> ALL =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static volatile java.util.function.Function<String, String> writerSchemas = key -> null;

  private final String name;
  private final java.util.Map<Integer, GenericDatumReader<GenericRecord>> newer =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Schema> versions = new ArrayList<>();
  private final Schema current;
  private final GenericDatumWriter<GenericRecord> writer;
  private final List<GenericDatumReader<GenericRecord>> readers = new ArrayList<>();

  private AvroState(String name) {
    this.name = name;
    for (int v = 1; ; v++) {
      try (InputStream in =
          AvroState.class.getResourceAsStream("avro/" + name + ".v" + v + ".avsc")) {
        if (in == null) {
          break;
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("no Avro schema named " + name);
    }
    current = versions.get(versions.size() - 1);
    writer = new GenericDatumWriter<>(current);
    for (Schema old : versions) {
      readers.add(new GenericDatumReader<>(old, current));
    }
    ALL.put(name, this);
  }

  /** Every schema of this release, by {@code NAME.vN}, as Avro JSON: what a release publishes. */
  public static java.util.Map<String, String> schemas() {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    ALL.values()
        .forEach(
            s -> {
              for (int v = 1; v <= s.versions.size(); v++) {
                out.put(s.name + ".v" + v, s.versions.get(v - 1).toString());
              }
            });
    return out;
  }

  /**
   * Where writer schemas of versions newer than this release's come from: {@code NAME.vN} to Avro
   * JSON, or null when nobody published it. Asked once per unknown version that decodes.
   */
  public static void writerSchemas(java.util.function.Function<String, String> source) {
    writerSchemas = source;
  }

  /** A decided trace in the decision cache (changelogged). */
  public static final AvroState TRACE_DECISION = new AvroState("TraceDecision");

  /** Traces decided together, expiring in one slice of the decision cache TTL (changelogged). */
  public static final AvroState TRACE_DECISION_BATCH = new AvroState("TraceDecisionBatch");

  /** A tail-sampling task's low watermark and resume offset (changelogged). */
  public static final AvroState PARTITION_WATERMARK = new AvroState("PartitionWatermark");

  /** An output series of the metrics aggregation stage (changelogged). */
  public static final AvroState AGGREGATE_SERIES = new AvroState("AggregateSeries");

  /** A source series feeding an aggregate series (changelogged). */
  public static final AvroState AGGREGATE_SOURCE = new AvroState("AggregateSource");

  /** The cardinality guard's state for one metric of one tenant (changelogged). */
  public static final AvroState CARDINALITY_GUARD = new AvroState("CardinalityGuard");

  /** A tail-sampling task's counts for one span-derived metric series since its last flush. */
  public static final AvroState TRACE_METRIC_DELTA = new AvroState("TraceMetricDelta");

  /** The newest schema, for nested records. */
  public Schema schema() {
    return current;
  }

  public GenericRecord newRecord() {
    return new GenericData.Record(current);
  }

  /** A reader for a version a newer release wrote, from its published schema. */
  private GenericDatumReader<GenericRecord> newer(int version) {
    GenericDatumReader<GenericRecord> known = newer.get(version);
    if (known != null) {
      return known;
    }
    String json = writerSchemas.apply(name + ".v" + version);
    if (json == null) {
      throw new UnknownStateVersionException(name, version, readers.size());
    }
    Schema writer = new Schema.Parser().parse(json);
    var compatibility =
        org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
    if (compatibility.getType()
        != org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new UnknownStateVersionException(
          name, version, readers.size(), compatibility.getDescription());
    }
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(writer, current);
    newer.put(version, reader);
    return reader;
  }

  public byte[] encode(GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.write(versions.size());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public GenericRecord decode(byte[] bytes) {
    return decode(bytes, 0);
  }

  /** Decodes a value that starts at {@code offset} (after a caller's own prefix). */
  public GenericRecord decode(byte[] bytes, int offset) {
    int version = bytes[offset] & 0xff;
    if (version < 1) {
      throw new IllegalArgumentException("state value without a schema version byte");
    }
    GenericDatumReader<GenericRecord> reader =
        version <= readers.size() ? readers.get(version - 1) : newer(version);
    try {
      return reader.read(
          null,
          DecoderFactory.get().binaryDecoder(bytes, offset + 1, bytes.length - offset - 1, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
