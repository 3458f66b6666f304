package io.serendip.operator.experiment;

/**
 * Cumulative counters of one arm, as the router's /v1/stats reports them. {@code assignedUsers} counts each user
 * once per router config (the units of the sample-ratio check).
 */
public record ArmCounters(
    long requests,
    long errors,
    long impressions,
    long explorationImpressions,
    long positiveFeedback,
    long exploredPositiveFeedback,
    long exploredNovel,
    long assignedUsers) {

  /** Counters without assignment counts (sources that do not report them). */
  public ArmCounters(long requests, long errors, long impressions, long explorationImpressions, long positiveFeedback,
      long exploredPositiveFeedback, long exploredNovel) {
    this(requests, errors, impressions, explorationImpressions, positiveFeedback, exploredPositiveFeedback,
        exploredNovel, 0);
  }

  /** The two counters added, field by field (two replicas of one router). */
  public ArmCounters plus(ArmCounters other) {
    return new ArmCounters(requests + other.requests, errors + other.errors, impressions + other.impressions,
        explorationImpressions + other.explorationImpressions, positiveFeedback + other.positiveFeedback,
        exploredPositiveFeedback + other.exploredPositiveFeedback, exploredNovel + other.exploredNovel,
        assignedUsers + other.assignedUsers);
  }

  /** Field by field difference: what was counted between two reads of one process. */
  public ArmCounters minus(ArmCounters earlier) {
    return new ArmCounters(requests - earlier.requests, errors - earlier.errors, impressions - earlier.impressions,
        explorationImpressions - earlier.explorationImpressions, positiveFeedback - earlier.positiveFeedback,
        exploredPositiveFeedback - earlier.exploredPositiveFeedback, exploredNovel - earlier.exploredNovel,
        assignedUsers - earlier.assignedUsers);
  }

  public static final ArmCounters ZERO = new ArmCounters(0, 0, 0, 0, 0, 0, 0, 0);

  public double errorRate() {
    return ratio(errors, requests);
  }

  /** Share of exploration impressions that showed a cluster new to the user. */
  public double noveltyRate() {
    return ratio(exploredNovel, explorationImpressions);
  }

  public double positiveFeedbackRate() {
    return ratio(positiveFeedback, impressions);
  }

  /** Positive feedback on explored items, falling back to all items for arms that do not explore. */
  public double exploredPositiveFeedbackRate() {
    return explorationImpressions > 0 ? ratio(exploredPositiveFeedback, explorationImpressions) : positiveFeedbackRate();
  }

  /** The numerator and denominator of {@link #exploredPositiveFeedbackRate()}. */
  long exploredPositiveFeedbackCount() {
    return explorationImpressions > 0 ? exploredPositiveFeedback : positiveFeedback;
  }

  long exploredPositiveFeedbackBase() {
    return explorationImpressions > 0 ? explorationImpressions : impressions;
  }

  static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
