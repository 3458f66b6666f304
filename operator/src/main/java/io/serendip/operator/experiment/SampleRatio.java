package io.serendip.operator.experiment;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * The sample-ratio check: Pearson's chi-square of the users assigned to each arm against the weights the router
 * assigned them with. A mismatch means the counts cannot be trusted (users lost or duplicated in one arm, a broken
 * assignment), whatever the arms' metrics say.
 *
 * @param pValue the chance of a mismatch at least this large if assignment follows the weights; 1 when untested
 * @param summary users and expected shares per arm, for conditions and status
 * @param tested whether there were enough users under known weights to compute it
 */
public record SampleRatio(double pValue, double chiSquare, String summary, boolean tested) {
  /** Fewer expected users than this in some arm: the chi-square approximation is not trusted yet. */
  static final double MIN_EXPECTED = 20;

  public static final SampleRatio UNTESTED = new SampleRatio(1.0, 0, "not enough users assigned yet", false);
  /** Without a step window under weights every router serves there is nothing to compare with. */
  public static final SampleRatio UNKNOWN_SPLIT = new SampleRatio(1.0, 0,
      "not checked: needs RouterStats from every router replica, all serving the step's weights", false);

  /**
   * @param users users assigned per arm under the weights
   * @param basisPoints the weights they were assigned with; arms with 0 take no part
   * @param copies how many times a user may have been counted (router processes that each count the users they
   *     serve): the chi-square is divided by it, which is exact when every user reached every process and
   *     conservative otherwise
   */
  public static SampleRatio check(Map<String, Long> users, Map<String, Integer> basisPoints, int copies) {
    if (basisPoints.isEmpty()) {
      return UNKNOWN_SPLIT;
    }
    Map<String, Integer> weighted = basisPoints.entrySet().stream().filter(e -> e.getValue() > 0)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    if (weighted.size() < 2) {
      return UNTESTED;
    }
    // expected counts of copies-fold counted users: the chi-square approximation needs each of MIN_EXPECTED users
    long total = weighted.keySet().stream().mapToLong(arm -> users.getOrDefault(arm, 0L)).sum();
    int weights = weighted.values().stream().mapToInt(Integer::intValue).sum();
    double chiSquare = 0;
    StringBuilder summary = new StringBuilder();
    for (var arm : weighted.entrySet()) {
      double expected = total * (double) arm.getValue() / weights;
      if (expected < MIN_EXPECTED * Math.max(1, copies)) {
        return UNTESTED;
      }
      long observed = users.getOrDefault(arm.getKey(), 0L);
      chiSquare += (observed - expected) * (observed - expected) / expected;
      summary.append(summary.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %d (expected %.0f)",
          arm.getKey(), observed, expected));
    }
    chiSquare /= Math.max(1, copies);
    double p = 1 - new ChiSquaredDistribution(null, weighted.size() - 1).cumulativeProbability(chiSquare);
    return new SampleRatio(p, chiSquare, "users " + summary, true);
  }
}
