package io.otelstream.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replay bound as an operator writes it: an instant ({@code 2026-12-01T10:00:00Z}), a time before
 * now ({@code -90m}, {@code -2h}, {@code -1h30m}), or, for {@code --from}, input offsets per
 * partition ({@code 0:1200,1:980}).
 */
public record ReplayTime(Instant time, Map<Integer, Long> offsets) {
  private static final Pattern AGO = Pattern.compile("-((\\d+)h)?((\\d+)m)?((\\d+)s)?");
  private static final Pattern OFFSETS = Pattern.compile("\\d+:\\d+(,\\d+:\\d+)*");

  public static ReplayTime parse(String text, Instant now) {
    String t = text.trim();
    if (OFFSETS.matcher(t).matches()) {
      Map<Integer, Long> offsets = new LinkedHashMap<>();
      for (String pair : t.split(",")) {
        String[] po = pair.split(":");
        if (offsets.put(Integer.parseInt(po[0]), Long.parseLong(po[1])) != null) {
          throw new IllegalArgumentException("partition " + po[0] + " is given twice in " + t);
        }
      }
      return new ReplayTime(null, Map.copyOf(offsets));
    }
    Matcher ago = AGO.matcher(t);
    if (ago.matches() && t.length() > 1) {
      Duration d =
          Duration.ofHours(group(ago, 2)).plusMinutes(group(ago, 4)).plusSeconds(group(ago, 6));
      return new ReplayTime(now.minus(d), null);
    }
    try {
      return new ReplayTime(Instant.parse(t), null);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time: use an instant (2026-12-01T10:00:00Z), a time ago (-90m, -2h,"
              + " -1h30m) or, for --from, partition:offset pairs (0:1200,1:980)");
    }
  }

  private static long group(Matcher m, int g) {
    return m.group(g) == null ? 0 : Long.parseLong(m.group(g));
  }

  public boolean isOffsets() {
    return offsets != null;
  }
}
