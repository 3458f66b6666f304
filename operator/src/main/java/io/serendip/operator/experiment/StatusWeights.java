package io.serendip.operator.experiment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** An experiment's effective weights as its status writes them: {@code control=90,explore=10} (percent). */
public final class StatusWeights {
  private StatusWeights() {}

  /** Basis points per arm as name=percent pairs, in the map's order. */
  public static String format(Map<String, Integer> basisPoints) {
    return basisPoints.entrySet().stream().map(e -> e.getKey() + "=" + percent(e.getValue()))
        .collect(Collectors.joining(","));
  }

  /** Basis points per arm; empty when there are none or they are unreadable. */
  public static Map<String, Integer> parse(String weights) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (weights == null || weights.isBlank()) {
      return out;
    }
    try {
      for (String part : weights.split(",")) {
        String[] kv = part.split("=", 2);
        out.put(kv[0].trim(), (int) Math.round(Double.parseDouble(kv[1].trim()) * 100));
      }
    } catch (RuntimeException e) {
      return Map.of();
    }
    return out;
  }

  private static String percent(int basisPoints) {
    return basisPoints % 100 == 0
        ? Integer.toString(basisPoints / 100)
        : String.format(Locale.ROOT, "%.2f", basisPoints / 100.0);
  }
}
