package io.otelstream.schemas.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.UnsafeByteOperations;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether protobuf bytes are a valid message of a given type, as protobuf-java's parser
 * would, without building the message: where the full parse is done only to validate, it costs more
 * than everything else the edge does with a request. Well-formed tags, varints and lengths; nested
 * messages walked to their end; proto3 strings valid UTF-8; packed repeated scalars whole; unknown
 * fields and groups skipped; a known field with an unexpected wire type treated as unknown, as the
 * parser does; at most 100 levels of nesting.
 */
public final class WireValidator {
  private static final int MAX_DEPTH = 100;
  private static final int START_GROUP = 3;
  private static final int END_GROUP = 4;

  private enum Kind {
    MESSAGE,
    STRING,
    OTHER
  }

  /** One known field: the wire type it is written with, and how its payload is checked. */
  private record Field(int wireType, Kind kind, MessageType message, boolean packable) {}

  /** A message type's known fields, indexed by field number. */
  private static final class MessageType {
    Field[] fields = new Field[0];

    Field field(int number) {
      return number < fields.length ? fields[number] : null;
    }
  }

  private final MessageType root;
  private final String typeName;

  public WireValidator(Descriptor descriptor) {
    this.root = type(descriptor, new HashMap<>());
    this.typeName = descriptor.getName();
  }

  private static MessageType type(Descriptor d, Map<Descriptor, MessageType> seen) {
    MessageType existing = seen.get(d);
    if (existing != null) {
      return existing; // recursive types (AnyValue in ArrayValue in AnyValue) share one node
    }
    MessageType type = new MessageType();
    seen.put(d, type);
    int max = 0;
    for (FieldDescriptor f : d.getFields()) {
      max = Math.max(max, f.getNumber());
    }
    Field[] fields = new Field[max + 1];
    for (FieldDescriptor f : d.getFields()) {
      Kind kind =
          switch (f.getJavaType()) {
            case MESSAGE -> Kind.MESSAGE;
            case STRING -> Kind.STRING;
            default -> Kind.OTHER;
          };
      fields[f.getNumber()] =
          new Field(
              f.getLiteType().getWireType(),
              kind,
              kind == Kind.MESSAGE ? type(f.getMessageType(), seen) : null,
              f.isRepeated() && f.getLiteType().isPackable());
    }
    type.fields = fields;
    return type;
  }

  /**
   * Throws InvalidWireException, "not a valid &lt;Type&gt;: &lt;problem&gt;", when the bytes are
   * not a valid message.
   */
  public void validate(byte[] body) {
    try {
      walk(root, new WireReader(body, 0, body.length), 0);
    } catch (InvalidWireException e) {
      throw e.getMessage().startsWith("not a valid ") ? e : invalid(e.getMessage());
    }
  }

  private void walk(MessageType type, WireReader r, int depth) {
    if (depth > MAX_DEPTH) {
      throw invalid("messages nested more than " + MAX_DEPTH + " levels deep");
    }
    while (r.hasNext()) {
      int tag = r.readTag();
      int number = tag >>> 3;
      int wireType = tag & 7;
      if (number == 0) {
        throw invalid("a field has number 0");
      }
      Field f = type.field(number);
      if (f != null && wireType == f.wireType()) {
        switch (f.kind()) {
          case MESSAGE -> {
            int outer = r.pushLimit(r.readLength()); // no reader per nested message
            walk(f.message(), r, depth + 1);
            r.popLimit(outer);
          }
          case STRING -> {
            int length = r.readLength();
            if (!validUtf8(r.buf, r.pos, length)) {
              throw invalid("a string field is not valid UTF-8");
            }
            r.pos += length;
          }
          case OTHER -> r.skip(tag);
        }
      } else if (f != null && f.packable() && wireType == WireReader.LEN) {
        int outer = r.pushLimit(r.readLength());
        while (r.hasNext()) {
          r.skip(number << 3 | f.wireType());
        }
        r.popLimit(outer);
      } else {
        skipUnknown(r, tag, depth);
      }
    }
  }

  /**
   * Whether {@code length} bytes from {@code from} are valid UTF-8. Attribute keys and values are
   * nearly always ASCII: a plain scan settles those without allocating; protobuf's validator takes
   * over from the first non-ASCII byte (a character boundary). The reader has checked that the
   * bytes lie within the message.
   */
  private static boolean validUtf8(byte[] buf, int from, int length) {
    int end = from + length;
    for (int i = from; i < end; i++) {
      if (buf[i] < 0) {
        return UnsafeByteOperations.unsafeWrap(buf, i, end - i).isValidUtf8();
      }
    }
    return true;
  }

  /** Skips an unknown field; groups are skipped to their matching end tag. */
  private void skipUnknown(WireReader r, int tag, int depth) {
    int wireType = tag & 7;
    if (wireType == END_GROUP) {
      throw invalid("an end-group tag without its start");
    }
    if (wireType != START_GROUP) {
      r.skip(tag);
      return;
    }
    if (depth + 1 > MAX_DEPTH) {
      throw invalid("groups nested more than " + MAX_DEPTH + " levels deep");
    }
    int end = (tag >>> 3) << 3 | END_GROUP;
    while (true) {
      if (!r.hasNext()) {
        throw invalid("a group is not closed");
      }
      int inner = r.readTag();
      if (inner == end) {
        return;
      }
      if ((inner >>> 3) == 0) {
        throw invalid("a field has number 0");
      }
      skipUnknown(r, inner, depth + 1);
    }
  }

  private InvalidWireException invalid(String problem) {
    return new InvalidWireException("not a valid " + typeName + ": " + problem);
  }
}
