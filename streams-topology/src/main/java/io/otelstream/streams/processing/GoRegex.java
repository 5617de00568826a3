package io.otelstream.streams.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions written for the Collector (Go's RE2 syntax) compiled for Java. Matching is a
 * search, not a full match, as Go's {@code MatchString}: {@code "health"} matches "GET /health".
 * Named groups are written {@code (?P<name>...)} in Go and may contain underscores, which Java's
 * group names may not, so they are renamed and the original names kept.
 */
final class GoRegex {
  private GoRegex() {}

  static Pattern compile(String regex) {
    return NamedGroups.of(regex, false).pattern();
  }

  /** A compiled pattern and the Go names of its groups, in order. */
  record NamedGroups(Pattern pattern, List<String> names) {

    /** For {@code extract}: every capturing group must be named, as the Collector requires. */
    static NamedGroups of(String regex) {
      NamedGroups g = of(regex, true);
      if (g.names().isEmpty()) {
        throw new IllegalArgumentException("pattern '" + regex + "' has no named groups");
      }
      return g;
    }

    private static NamedGroups of(String regex, boolean namedOnly) {
      StringBuilder java = new StringBuilder(regex.length() + 8);
      List<String> names = new ArrayList<>();
      boolean inClass = false;
      for (int i = 0; i < regex.length(); i++) {
        char c = regex.charAt(i);
        if (c == '\\' && i + 1 < regex.length()) {
          java.append(c).append(regex.charAt(++i));
          continue;
        }
        if (inClass) {
          inClass = c != ']';
          java.append(c);
          continue;
        }
        if (c == '[') {
          inClass = true;
          java.append(c);
          // a ']' right after '[' or '[^' is a literal
          if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
            java.append(regex.charAt(++i));
          }
          if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
            java.append(regex.charAt(++i));
          }
          continue;
        }
        if (c == '(') {
          int nameStart = -1;
          if (regex.startsWith("(?P<", i)) {
            nameStart = i + 4;
          } else if (regex.startsWith("(?<", i)
              && !regex.startsWith("(?<=", i)
              && !regex.startsWith("(?<!", i)) {
            nameStart = i + 3;
          }
          if (nameStart >= 0) {
            int end = regex.indexOf('>', nameStart);
            if (end < 0) {
              throw invalid(regex, "unterminated group name");
            }
            names.add(regex.substring(nameStart, end));
            java.append("(?<g").append(names.size()).append('>');
            i = end;
            continue;
          }
          if (namedOnly && !regex.startsWith("(?", i)) {
            throw invalid(regex, "every group must be named, as (?P<name>...)");
          }
        }
        java.append(c);
      }
      try {
        return new NamedGroups(Pattern.compile(java.toString()), List.copyOf(names));
      } catch (PatternSyntaxException e) {
        throw invalid(regex, e.getDescription());
      }
    }

    private static IllegalArgumentException invalid(String regex, String why) {
      return new IllegalArgumentException("invalid regular expression '" + regex + "': " + why);
    }
  }
}
