package io.serendip.operator.experiment;

import java.time.Instant;
import java.util.Map;

/**
 * The rollout's position and the weights it implies.
 *
 * @param phase Progressing, Paused, Completed, Promoted or Aborted
 * @param step index of the step in effect (steps.size() when done)
 * @param stepStartedAt when that step started
 * @param basisPoints effective weight per arm in basis points (sum 10000); not-ready arms get 0
 * @param abortReason why the rollout was aborted, or null
 * @param requeueAfterMillis when to look again (a timed pause ends), or null
 * @param stalledReason why the rollout has made no progress past its deadline, or null
 */
public record RolloutState(
    String phase,
    int step,
    Instant stepStartedAt,
    Map<String, Integer> basisPoints,
    String abortReason,
    Long requeueAfterMillis,
    String stalledReason) {
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String COMPLETED = "Completed";
  public static final String PROMOTED = "Promoted";
  public static final String ABORTED = "Aborted";

  public RolloutState(String phase, int step, Instant stepStartedAt, Map<String, Integer> basisPoints,
      String abortReason, Long requeueAfterMillis) {
    this(phase, step, stepStartedAt, basisPoints, abortReason, requeueAfterMillis, null);
  }

  /** Whether the rollout still moves (so metrics are worth reading). */
  public boolean active() {
    return PROGRESSING.equals(phase) || PAUSED.equals(phase);
  }
}
