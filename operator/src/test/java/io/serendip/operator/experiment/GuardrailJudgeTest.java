package io.serendip.operator.experiment;

import static io.serendip.operator.experiment.Specs.arm;
import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec.Guardrails;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardrailJudgeTest {
  private final List<Arm> arms = List.of(arm("control", true, 50), arm("explore", false, 50));
  private final Guardrails g = new Guardrails();
  // requests, errors, impressions, explorationImpressions, positive, exploredPositive, exploredNovel
  private final ArmCounters control = new ArmCounters(1000, 5, 10000, 0, 1000, 0, 0);

  @Test
  void healthyArmPasses() {
    var explore = new ArmCounters(1000, 6, 10000, 2000, 1000, 200, 1500);
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), Map.of("control", control, "explore", explore));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.PASS);
  }

  @Test
  void tooFewSamplesHolds() {
    var explore = new ArmCounters(10, 0, 100, 20, 10, 2, 15);
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), Map.of("control", control, "explore", explore));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.HOLD);
    assertThat(v.message()).contains("explore: 100");
  }

  @Test
  void errorRateAboveControlBreaches() {
    var explore = new ArmCounters(1000, 50, 10000, 2000, 1000, 200, 1500);
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), Map.of("control", control, "explore", explore));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(v.message()).contains("error rate 0.0500").contains("0.0050");
  }

  @Test
  void lowPositiveFeedbackOnExploredItemsBreaches() {
    var explore = new ArmCounters(1000, 5, 10000, 2000, 1000, 100, 1500); // 5% vs control 10%
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), Map.of("control", control, "explore", explore));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(v.message()).contains("positive-feedback");
  }

  @Test
  void noveltyBelowMinimumBreaches() {
    g.minNoveltyRate = 0.5;
    var explore = new ArmCounters(1000, 5, 10000, 2000, 1000, 200, 400);
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), Map.of("control", control, "explore", explore));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(v.message()).contains("novelty rate 0.2000");
  }

  @Test
  void withoutLiveTreatmentArmsThereIsNothingToJudge() {
    Verdict v = GuardrailJudge.judge(g, arms, List.of(), Map.of("control", control));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.HOLD);
  }

  @Test
  void missingArmMetricsHold() {
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), Map.of("control", control));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.HOLD);
  }
}
