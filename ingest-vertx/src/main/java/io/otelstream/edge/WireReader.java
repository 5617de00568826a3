package io.otelstream.edge;

/**
 * A cursor over protobuf wire format, for walking already-validated messages without materialising
 * them.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  final byte[] buf;
  int pos;
  final int end;

  WireReader(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  boolean hasNext() {
    return pos < end;
  }

  int readTag() {
    return (int) readVarint();
  }

  long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw malformed("truncated");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw malformed(OVERLONG_VARINT);
  }

  /** Reads a length prefix and checks that the bytes are there. */
  int readLength() {
    long length = readVarint();
    if (length < 0 || length > end - pos) {
      throw malformed();
    }
    return (int) length;
  }

  void skip(int tag) {
    switch (tag & 7) {
      case VARINT -> readVarint();
      case FIXED64 -> advance(8);
      case LEN -> advance(readLength());
      case FIXED32 -> advance(4);
      default -> throw malformed();
    }
  }

  private void advance(int n) {
    if (n > end - pos) {
      throw malformed();
    }
    pos += n;
  }

  static int field(int tag) {
    return tag >>> 3;
  }

  static int varintSize(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /** Bytes a length-delimited field of this payload length takes, tag included (fields 1..15). */
  static int framed(int length) {
    return 1 + varintSize(length) + length;
  }

  /** The one rule enforced more strictly than protobuf-java, which lets some through. */
  static final String OVERLONG_VARINT = "a varint runs past 10 bytes";

  private static EdgeError malformed() {
    return malformed("truncated or malformed");
  }

  static final String NOT_PROTOBUF = "request body is not valid protobuf: ";

  private static EdgeError malformed(String problem) {
    return new EdgeError(EdgeError.Kind.INVALID, "invalid_protobuf", NOT_PROTOBUF + problem);
  }
}
