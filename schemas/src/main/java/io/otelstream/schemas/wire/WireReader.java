package io.otelstream.schemas.wire;

/**
 * A cursor over protobuf wire format, for walking messages without materialising them. Malformed
 * input throws {@link InvalidWireException}.
 */
public final class WireReader {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  public final byte[] buf;
  public int pos;

  /** Where reading stops: the end of the buffer, or of the nested message being read. */
  public int end;

  public WireReader(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /**
   * Limits reading to the next {@code length} bytes, the payload of a nested message, without a new
   * reader; returns the limit to give back to {@link #popLimit}.
   */
  public int pushLimit(int length) {
    int outer = end;
    end = pos + length;
    return outer;
  }

  public void popLimit(int outer) {
    end = outer;
  }

  public boolean hasNext() {
    return pos < end;
  }

  public int readTag() {
    return (int) readVarint();
  }

  public long readVarint() {
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
  public int readLength() {
    long length = readVarint();
    if (length < 0 || length > end - pos) {
      throw malformed();
    }
    return (int) length;
  }

  public void skip(int tag) {
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

  public static int field(int tag) {
    return tag >>> 3;
  }

  public static int varintSize(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /** Bytes a length-delimited field of this payload length takes, tag included (fields 1..15). */
  public static int framed(int length) {
    return 1 + varintSize(length) + length;
  }

  /** The one rule enforced more strictly than protobuf-java, which lets some through. */
  public static final String OVERLONG_VARINT = "a varint runs past 10 bytes";

  private static InvalidWireException malformed() {
    return malformed("truncated or malformed");
  }

  private static InvalidWireException malformed(String problem) {
    return new InvalidWireException(problem);
  }
}
