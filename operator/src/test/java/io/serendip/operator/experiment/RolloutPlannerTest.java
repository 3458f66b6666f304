package io.serendip.operator.experiment;

import static io.serendip.operator.experiment.Specs.arm;
import static io.serendip.operator.experiment.Specs.pause;
import static io.serendip.operator.experiment.Specs.setWeight;
import static io.serendip.operator.experiment.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.operator.api.ExplorationExperimentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
  private static final Instant T0 = Instant.parse("2026-11-22T21:00:00Z");
  private static final Set<String> ALL_READY = Set.of("control", "explore");
  private final ExplorationExperimentSpec spec = spec(
      List.of(arm("control", true, 50), arm("explore", false, 50)),
      setWeight(20), pause("1m"), setWeight(100));

  @Test
  void firstStepAppliesItsWeightAndWaitsInTheTimedPause() {
    RolloutState s = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    assertThat(s.phase()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(s.step()).isEqualTo(1);
    // explore's final weight is 50%; 20% of it is 10% = 1000 basis points
    assertThat(s.basisPoints()).isEqualTo(Map.of("control", 9000, "explore", 1000));
    assertThat(s.requeueAfterMillis()).isEqualTo(Duration.ofMinutes(1).toMillis());
  }

  @Test
  void pauseEndsAfterItsDurationAndTheRolloutCompletesAtFinalWeights() {
    RolloutState s1 = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    RolloutState s2 = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(30));
    assertThat(s2.step()).isEqualTo(1);
    assertThat(s2.requeueAfterMillis()).isEqualTo(30_000L);
    RolloutState s3 = RolloutPlanner.plan(spec, s2, false, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(61));
    assertThat(s3.phase()).isEqualTo(RolloutState.COMPLETED);
    assertThat(s3.basisPoints()).isEqualTo(Map.of("control", 5000, "explore", 5000));
  }

  @Test
  void aPauseCountsOnlyFromWhenEveryRouterReplicaServesTheStepsWeights() {
    RolloutState s1 = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    // 50 s later one replica still serves the weights before the step: the step holds, its timer restarting.
    RolloutState held = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.notConfigured(), false,
        T0.plusSeconds(50));
    assertThat(held.step()).isEqualTo(1);
    assertThat(held.stepStartedAt()).isEqualTo(T0.plusSeconds(50));
    assertThat(held.basisPoints()).isEqualTo(s1.basisPoints());
    assertThat(held.requeueAfterMillis()).isEqualTo(RolloutPlanner.APPLY_POLL_MILLIS);
    // Applied from then on: the one-minute pause ends a minute after that, not after the first write.
    RolloutState waiting = RolloutPlanner.plan(spec, held, false, ALL_READY, Verdict.notConfigured(), true,
        T0.plusSeconds(70));
    assertThat(waiting.step()).isEqualTo(1);
    assertThat(waiting.requeueAfterMillis()).isEqualTo(40_000L);
    assertThat(RolloutPlanner.plan(spec, waiting, false, ALL_READY, Verdict.notConfigured(), true,
        T0.plusSeconds(111)).phase()).isEqualTo(RolloutState.COMPLETED);
    // A breach still aborts at once, applied or not.
    assertThat(RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.breach("errors"), false, T0.plusSeconds(5))
        .phase()).isEqualTo(RolloutState.ABORTED);
  }

  @Test
  void guardrailsThatHaveNotJudgedHoldAnExpiredPause() {
    RolloutState s1 = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    RolloutState s2 = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.hold("few samples"), T0.plusSeconds(120));
    assertThat(s2.phase()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(s2.step()).isEqualTo(1);
    assertThat(s2.basisPoints().get("explore")).isEqualTo(1000);
  }

  @Test
  void breachAbortsAndSendsAllTrafficToControlUntilTheSpecChanges() {
    RolloutState s1 = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    RolloutState aborted = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.breach("errors"), T0.plusSeconds(5));
    assertThat(aborted.phase()).isEqualTo(RolloutState.ABORTED);
    assertThat(aborted.abortReason()).isEqualTo("errors");
    assertThat(aborted.basisPoints()).isEqualTo(Map.of("control", 10000, "explore", 0));
    RolloutState still = RolloutPlanner.plan(spec, aborted, false, ALL_READY, Verdict.pass("ok"), T0.plusSeconds(99));
    assertThat(still.phase()).isEqualTo(RolloutState.ABORTED);
    RolloutState restarted = RolloutPlanner.plan(spec, aborted, true, ALL_READY, Verdict.pass("ok"), T0.plusSeconds(100));
    assertThat(restarted.phase()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(restarted.step()).isEqualTo(1);
  }

  @Test
  void manualPauseFreezesTheStepAndResumeContinues() {
    RolloutState s1 = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    spec.paused = true;
    RolloutState paused = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(600));
    assertThat(paused.phase()).isEqualTo(RolloutState.PAUSED);
    assertThat(paused.step()).isEqualTo(1);
    spec.paused = false;
    RolloutState resumed = RolloutPlanner.plan(spec, paused, false, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(601));
    assertThat(resumed.phase()).isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void promoteAndAbortActions() {
    spec.action = ExplorationExperimentSpec.Action.Promote;
    RolloutState promoted = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    assertThat(promoted.phase()).isEqualTo(RolloutState.PROMOTED);
    assertThat(promoted.basisPoints()).isEqualTo(Map.of("control", 5000, "explore", 5000));
    spec.action = ExplorationExperimentSpec.Action.Abort;
    RolloutState aborted = RolloutPlanner.plan(spec, promoted, false, ALL_READY, Verdict.notConfigured(), T0);
    assertThat(aborted.phase()).isEqualTo(RolloutState.ABORTED);
    assertThat(aborted.basisPoints()).isEqualTo(Map.of("control", 10000, "explore", 0));
  }

  @Test
  void anArmWithoutReadyBackendsGetsNoTraffic() {
    RolloutState s = RolloutPlanner.plan(spec(List.of(arm("control", true, 50), arm("explore", false, 50))),
        null, false, Set.of("control"), Verdict.notConfigured(), T0);
    assertThat(s.phase()).isEqualTo(RolloutState.COMPLETED);
    assertThat(s.basisPoints()).isEqualTo(Map.of("control", 10000, "explore", 0));
  }

  @Test
  void untimedPauseWaitsForPromote() {
    var s = spec(List.of(arm("control", true, 80), arm("a", false, 10), arm("b", false, 10)),
        setWeight(50), pause(null), setWeight(100));
    RolloutState st = RolloutPlanner.plan(s, null, false, Set.of("control", "a", "b"), Verdict.notConfigured(), T0);
    assertThat(st.phase()).isEqualTo(RolloutState.PAUSED);
    assertThat(st.basisPoints()).isEqualTo(Map.of("control", 9000, "a", 500, "b", 500));
    assertThat(st.requeueAfterMillis()).isNull();
  }

  @Test
  void promotingOneStepEndsThePauseItNamesAndOnlyThatOne() {
    var s = spec(List.of(arm("control", true, 50), arm("explore", false, 50)),
        setWeight(20), pause(null), setWeight(60), pause("1h"), setWeight(100));
    RolloutState waiting = RolloutPlanner.plan(s, null, false, ALL_READY, Verdict.notConfigured(), T0);
    assertThat(waiting.phase()).isEqualTo(RolloutState.PAUSED);
    assertThat(waiting.step()).isEqualTo(1);
    s.promotedStep = 0; // names another step: nothing moves
    assertThat(RolloutPlanner.plan(s, waiting, true, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(5)).step())
        .isEqualTo(1);
    s.promotedStep = 1; // the untimed pause: on to 60%, then into the one-hour pause
    RolloutState next = RolloutPlanner.plan(s, waiting, true, ALL_READY, Verdict.hold("few samples"), T0.plusSeconds(9));
    assertThat(next.phase()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(next.step()).isEqualTo(3);
    assertThat(next.basisPoints()).isEqualTo(Map.of("control", 7000, "explore", 3000));
    // Applied again (the same spec, later reconciles): idempotent, the one-hour pause keeps its timer.
    RolloutState again = RolloutPlanner.plan(s, next, false, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(60));
    assertThat(again.step()).isEqualTo(3);
    assertThat(again.stepStartedAt()).isEqualTo(T0.plusSeconds(9));
    s.promotedStep = 3; // the timed pause, before its hour is up
    assertThat(RolloutPlanner.plan(s, again, true, ALL_READY, Verdict.notConfigured(), T0.plusSeconds(70)).phase())
        .isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void guardrailsThatCannotJudgePastTheProgressDeadlineStallTheRolloutOrAbortIt() {
    // spec: setWeight 20, pause 1m, setWeight 100; the default deadline is 10m past the pause
    RolloutState s1 = RolloutPlanner.plan(spec, null, false, ALL_READY, Verdict.notConfigured(), T0);
    RolloutState within = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.hold("few samples"),
        T0.plusSeconds(60 + 600));
    assertThat(within.stalledReason()).isNull();
    RolloutState stalled = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.hold("few samples"),
        T0.plusSeconds(60 + 601));
    assertThat(stalled.phase()).isEqualTo(RolloutState.PROGRESSING);
    assertThat(stalled.step()).isEqualTo(1);
    assertThat(stalled.stalledReason()).contains("no progress at step 1 for 601 s").contains("few samples");
    // Judged at last: it moves on and the stall is gone.
    assertThat(RolloutPlanner.plan(spec, stalled, false, ALL_READY, Verdict.pass("ok"), T0.plusSeconds(700)))
        .satisfies(s -> {
          assertThat(s.phase()).isEqualTo(RolloutState.COMPLETED);
          assertThat(s.stalledReason()).isNull();
        });
    spec.rollout.abortOnProgressDeadline = true;
    spec.rollout.progressDeadline = "2m";
    RolloutState aborted = RolloutPlanner.plan(spec, s1, false, ALL_READY, Verdict.hold("metrics unavailable"),
        T0.plusSeconds(60 + 121));
    assertThat(aborted.phase()).isEqualTo(RolloutState.ABORTED);
    assertThat(aborted.abortReason()).contains("deadline 2m").contains("metrics unavailable");
    assertThat(aborted.basisPoints().get("explore")).isZero();
  }
}
