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
  private final GuardrailJudge.Split fifty = new GuardrailJudge.Split(Map.of("control", 5000, "explore", 5000), 1);

  /** Judged with the same counts for the step and the whole experiment, no sample-ratio check. */
  private Verdict judge(ArmCounters explore) {
    Map<String, ArmCounters> counts = Map.of("control", control, "explore", explore);
    return GuardrailJudge.judge(g, arms, List.of("explore"), counts, counts, GuardrailJudge.Split.UNKNOWN).verdict();
  }

  @Test
  void healthyArmPasses() {
    assertThat(judge(new ArmCounters(1000, 6, 10000, 2000, 1000, 200, 1500)).kind()).isEqualTo(Verdict.Kind.PASS);
  }

  @Test
  void tooFewSamplesHolds() {
    Verdict v = judge(new ArmCounters(10, 0, 100, 20, 10, 2, 15));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.HOLD);
    assertThat(v.message()).contains("explore: 100");
  }

  @Test
  void errorRateAboveControlBreaches() {
    Verdict v = judge(new ArmCounters(1000, 50, 10000, 2000, 1000, 200, 1500));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(v.message()).contains("error rate 0.0500").contains("0.0050");
  }

  @Test
  void lowPositiveFeedbackOnExploredItemsBreaches() {
    Verdict v = judge(new ArmCounters(1000, 5, 10000, 2000, 1000, 100, 1500)); // 5% vs control 10%
    assertThat(v.kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(v.message()).contains("positive-feedback");
  }

  @Test
  void aShortfallWithinNoiseIsNotAbreach() {
    // 8.5% on 600 explored items is below 0.9 x 10%, but 0 of it would be no surprise from an arm at the floor:
    // a fixed threshold judged every interval aborts such arms; the sequential test waits for evidence.
    Verdict v = judge(new ArmCounters(1000, 5, 10000, 600, 1000, 51, 500));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.PASS);
  }

  @Test
  void noveltyBelowMinimumBreaches() {
    g.minNoveltyRate = 0.5;
    Verdict v = judge(new ArmCounters(1000, 5, 10000, 2000, 1000, 200, 400));
    assertThat(v.kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(v.message()).contains("novelty rate 0.2000");
  }

  @Test
  void withoutLiveTreatmentArmsThereIsNothingToJudge() {
    Map<String, ArmCounters> counts = Map.of("control", control);
    assertThat(GuardrailJudge.judge(g, arms, List.of(), counts, counts, GuardrailJudge.Split.UNKNOWN).verdict().kind())
        .isEqualTo(Verdict.Kind.HOLD);
  }

  @Test
  void missingArmMetricsHold() {
    Map<String, ArmCounters> counts = Map.of("control", control);
    assertThat(GuardrailJudge.judge(g, arms, List.of("explore"), counts, counts, GuardrailJudge.Split.UNKNOWN).verdict().kind())
        .isEqualTo(Verdict.Kind.HOLD);
  }

  @Test
  void harmInTheWholeCountsAbortsBeforeTheStepHasItsSamples() {
    var explore = new ArmCounters(1000, 5, 10000, 2000, 1000, 100, 1500);
    Map<String, ArmCounters> step = Map.of("control", new ArmCounters(10, 0, 100, 0, 10, 0, 0),
        "explore", new ArmCounters(10, 0, 100, 20, 10, 1, 15));
    var judgement = GuardrailJudge.judge(g, arms, List.of("explore"), step,
        Map.of("control", control, "explore", explore), GuardrailJudge.Split.UNKNOWN);
    assertThat(judgement.verdict().kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(judgement.analyses().get("explore").decision()).isEqualTo("Harmful");
  }

  @Test
  void aStepAdvancesOnlyOnceItsOwnWindowHasTheSamples() {
    var explore = new ArmCounters(1000, 6, 10000, 2000, 1000, 200, 1500);
    Map<String, ArmCounters> step = Map.of("control", new ArmCounters(10, 0, 100, 0, 10, 0, 0),
        "explore", new ArmCounters(10, 0, 100, 20, 10, 2, 15));
    Verdict v = GuardrailJudge.judge(g, arms, List.of("explore"), step, Map.of("control", control, "explore", explore),
        GuardrailJudge.Split.UNKNOWN).verdict();
    assertThat(v.kind()).isEqualTo(Verdict.Kind.HOLD);
    assertThat(v.message()).contains("in this step");
  }

  @Test
  void usersSplitAgainstTheWeightsAbortWithTheCounts() {
    Map<String, ArmCounters> step = Map.of("control", new ArmCounters(1000, 5, 10000, 0, 1000, 0, 0, 1000),
        "explore", new ArmCounters(1000, 6, 10000, 2000, 1000, 200, 1500, 820));
    var judgement = GuardrailJudge.judge(g, arms, List.of("explore"), step, step, fifty);
    assertThat(judgement.sampleRatioMismatch()).isTrue();
    assertThat(judgement.verdict().kind()).isEqualTo(Verdict.Kind.BREACH);
    assertThat(judgement.verdict().message()).startsWith("sample ratio mismatch: users control 1000 (expected 910)");

    Map<String, ArmCounters> fair = Map.of("control", step.get("control"),
        "explore", new ArmCounters(1000, 6, 10000, 2000, 1000, 200, 1500, 960));
    var matched = GuardrailJudge.judge(g, arms, List.of("explore"), fair, fair, fifty);
    assertThat(matched.sampleRatioMismatch()).isFalse();
    assertThat(matched.sampleRatio().pValue()).isBetween(0.3, 1.0);
    assertThat(matched.verdict().kind()).isEqualTo(Verdict.Kind.PASS);

    // Counted by two router processes, the same counts are half the evidence: no longer a mismatch at 0.0005.
    var twoRouters = GuardrailJudge.judge(g, arms, List.of("explore"), step, step,
        new GuardrailJudge.Split(fifty.basisPoints(), 2));
    assertThat(twoRouters.sampleRatio().chiSquare()).isCloseTo(judgement.sampleRatio().chiSquare() / 2,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(twoRouters.sampleRatioMismatch()).isFalse();
  }

  @Test
  void liftIsBetterWorseOrInconclusiveByItsInterval() {
    Map<String, ArmCounters> better = Map.of("control", control, "explore", new ArmCounters(1000, 5, 10000, 2000, 1300, 260, 1500));
    var a = GuardrailJudge.judge(g, arms, List.of("explore"), better, better, GuardrailJudge.Split.UNKNOWN).analyses().get("explore");
    assertThat(a.lift()).isEqualTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(a.lower()).isPositive();
    assertThat(a.upper()).isGreaterThan(0.03);
    assertThat(a.pValue()).isLessThan(0.05);
    assertThat(a.decision()).isEqualTo("Better");

    Map<String, ArmCounters> same = Map.of("control", control, "explore", new ArmCounters(1000, 5, 10000, 2000, 1010, 200, 1500));
    var b = GuardrailJudge.judge(g, arms, List.of("explore"), same, same, GuardrailJudge.Split.UNKNOWN).analyses().get("explore");
    assertThat(b.lower()).isNegative();
    assertThat(b.upper()).isPositive();
    assertThat(b.decision()).isEqualTo("Inconclusive");
    assertThat(b.pValue()).isGreaterThan(0.05);
  }
}
