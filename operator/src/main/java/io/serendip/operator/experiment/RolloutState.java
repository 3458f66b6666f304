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
 */
public record RolloutState(
    String phase,
    int step,
    Instant stepStartedAt,
    Map<String, Integer> basisPoints,
    String abortReason,
    Long requeueAfterMillis) {
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String COMPLETED = "Completed";
  public static final String PROMOTED = "Promoted";
  public static final String ABORTED = "Aborted";

  /** Whether the rollout still moves (so metrics are worth reading). */
  public boolean active() {
    return PROGRESSING.equals(phase) || PAUSED.equals(phase);
  }
}
