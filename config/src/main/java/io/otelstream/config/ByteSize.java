package io.otelstream.config;

/**
 * A size in bytes, written in YAML as {@code 1048576}, {@code 512KiB}, {@code 16MiB} or {@code
 * 1GiB}.
 */
public record ByteSize(long bytes) {
  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("size must not be negative: " + bytes);
    }
  }

  public static ByteSize ofMebibytes(long mib) {
    return new ByteSize(mib << 20);
  }

  public static ByteSize parse(String text) {
    String s = text.trim();
    long unit = 1;
    for (String[] suffix :
        new String[][] {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}, {"B", "1"}}) {
      if (s.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        s = s.substring(0, s.length() - suffix[0].length()).trim();
        break;
      }
    }
    try {
      return new ByteSize(Math.multiplyExact(Long.parseLong(s), unit));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write bytes or a number with KiB, MiB or GiB");
    }
  }

  public int toIntExact() {
    return Math.toIntExact(bytes);
  }

  @Override
  public String toString() {
    if (bytes != 0 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    return bytes % 1024 == 0 && bytes != 0 ? (bytes >> 10) + "KiB" : Long.toString(bytes);
  }
}
