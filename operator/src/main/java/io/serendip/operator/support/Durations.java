package io.serendip.operator.support;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the single-unit durations of the API (e.g. 500ms, 30s, 5m, 1h). */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("^([0-9]+)(ms|s|m|h)$");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("not a duration like 30s, 5m or 1h: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
