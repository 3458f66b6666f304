package io.serendip.operator.experiment;

import io.serendip.operator.api.ExplorationExperimentSpec;
import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec.Step;
import io.serendip.operator.support.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pure rollout state machine. Steps ramp the treatment arms: {@code setWeight: w} gives each
 * treatment arm w% of its final weight and control the rest. Timed pauses end by themselves once the
 * guardrails allow it; an untimed pause waits to be promoted: {@code promotedStep} equal to its index ends that
 * pause (one step, like a timed pause that is over), {@code action: Promote} jumps to the final weights. A guardrail breach or a manual Abort sends
 * all traffic to control. An arm whose backends are not ready never gets traffic: its share goes to
 * control.
 */
public final class RolloutPlanner {
  public static final int TOTAL = 10_000;
  /** How soon to look again while router replicas load new weights. */
  static final long APPLY_POLL_MILLIS = 2_000;

  private RolloutPlanner() {}

  /**
   * @param previous the state recorded in status, or null on the first reconcile
   * @param specChanged whether metadata.generation moved since that state (restarts an aborted rollout)
   * @param readyArms arms whose backends are ready
   */
  public static RolloutState plan(ExplorationExperimentSpec spec, RolloutState previous, boolean specChanged,
      Set<String> readyArms, Verdict verdict, Instant now) {
    return plan(spec, previous, specChanged, readyArms, verdict, true, now);
  }

  /**
   * @param weightsApplied whether every router replica serves the weights written for {@code previous}; while
   *     one still serves older ones the current step holds and its timer starts again, so a pause and its
   *     guardrail window cover only traffic under the step's own weights
   */
  public static RolloutState plan(ExplorationExperimentSpec spec, RolloutState previous, boolean specChanged,
      Set<String> readyArms, Verdict verdict, boolean weightsApplied, Instant now) {
    List<Step> steps = spec.rollout == null || spec.rollout.steps == null ? List.of() : spec.rollout.steps;
    if (spec.action == ExplorationExperimentSpec.Action.Abort) {
      return aborted(spec, readyArms, previous, now, "aborted by spec.action=Abort");
    }
    if (previous != null && RolloutState.ABORTED.equals(previous.phase()) && !specChanged) {
      return aborted(spec, readyArms, previous, now, previous.abortReason());
    }
    if (spec.action == ExplorationExperimentSpec.Action.Promote) {
      return new RolloutState(RolloutState.PROMOTED, steps.size(), since(previous, steps.size(), now),
          weights(spec.arms, 100, readyArms), null, null);
    }
    boolean restart = previous == null || RolloutState.ABORTED.equals(previous.phase());
    int step = restart ? 0 : Math.min(previous.step(), steps.size());
    Instant startedAt = restart ? now : previous.stepStartedAt();
    if (verdict.kind() == Verdict.Kind.BREACH && !restart && step < steps.size()) {
      return aborted(spec, readyArms, previous, now, verdict.message());
    }
    if (!weightsApplied && !restart && step < steps.size()) {
      return new RolloutState(previous.phase(), step, now, weights(spec.arms, percentAt(steps, step), readyArms),
          null, APPLY_POLL_MILLIS);
    }
    boolean paused = Boolean.TRUE.equals(spec.paused);
    Long requeue = null;
    String stalled = null;
    while (step < steps.size() && !paused) {
      Step s = steps.get(step);
      if (s.setWeight != null) {
        step++;
        startedAt = now;
        continue;
      }
      if (Objects.equals(spec.promotedStep, step)) {
        step++; // promoted past this pause by hand: the next step now, whatever its timer or the guardrails say
        startedAt = now;
        continue;
      }
      if (s.pause == null || s.pause.duration == null) {
        paused = true; // untimed pause: waits to be promoted (one step, or in full)
        break;
      }
      Duration left = Duration.between(now, startedAt.plus(Durations.parse(s.pause.duration)));
      if (!left.isNegative() && !left.isZero()) {
        requeue = left.toMillis();
        break;
      }
      if (!verdict.allowsAdvance()) {
        // The pause is over but the guardrails have not judged yet: hold, within the progress deadline.
        Duration overdue = left.negated();
        Duration deadline = Durations.parse(spec.rollout.progressDeadline == null ? "10m" : spec.rollout.progressDeadline);
        if (overdue.compareTo(deadline) > 0) {
          String reason = "no progress at step " + step + " for " + overdue.toSeconds() + " s past its pause (deadline "
              + spec.rollout.progressDeadline + "): " + verdict.message();
          if (Boolean.TRUE.equals(spec.rollout.abortOnProgressDeadline)) {
            return aborted(spec, readyArms, previous, now, reason);
          }
          stalled = reason;
        }
        break;
      }
      step++;
      startedAt = now;
    }
    if (step >= steps.size()) {
      return new RolloutState(RolloutState.COMPLETED, steps.size(), startedAt, weights(spec.arms, 100, readyArms),
          null, null);
    }
    return new RolloutState(paused ? RolloutState.PAUSED : RolloutState.PROGRESSING, step, startedAt,
        weights(spec.arms, percentAt(steps, step), readyArms), null, requeue, stalled);
  }

  /** The setWeight in effect at a step: the last one before it, or 0. */
  static int percentAt(List<Step> steps, int step) {
    for (int i = step - 1; i >= 0; i--) {
      if (steps.get(i).setWeight != null) {
        return steps.get(i).setWeight;
      }
    }
    return 0;
  }

  /** Treatment arms get percent% of their final weight; not-ready ones get 0; control takes the rest. */
  static Map<String, Integer> weights(List<Arm> arms, int percent, Set<String> readyArms) {
    Map<String, Integer> out = new LinkedHashMap<>();
    int treatments = 0;
    String control = null;
    for (Arm a : arms) {
      if (Boolean.TRUE.equals(a.control)) {
        control = a.name;
        out.put(a.name, 0);
        continue;
      }
      int bp = readyArms.contains(a.name) ? a.weight * percent : 0; // weight% * percent% = basis points
      out.put(a.name, bp);
      treatments += bp;
    }
    out.put(control, TOTAL - treatments);
    return out;
  }

  private static RolloutState aborted(ExplorationExperimentSpec spec, Set<String> readyArms, RolloutState previous,
      Instant now, String reason) {
    int step = previous == null ? 0 : previous.step();
    return new RolloutState(RolloutState.ABORTED, step, since(previous, step, now),
        weights(spec.arms, 0, readyArms), reason, null);
  }

  private static Instant since(RolloutState previous, int step, Instant now) {
    return previous != null && previous.step() == step && previous.stepStartedAt() != null
        ? previous.stepStartedAt() : now;
  }
}
