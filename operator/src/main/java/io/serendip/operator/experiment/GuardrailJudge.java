package io.serendip.operator.experiment;

import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec.Guardrails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pure judgement of an experiment's arms against control, with tests that stay valid however often they are run
 * ({@link SequentialEvidence}): every guardrail interval looks at the data again, and a fixed threshold looked at
 * that often aborts healthy arms on noise.
 *
 * <ul>
 *   <li>Sample ratio first: users assigned per arm in the step against the step's weights ({@link SampleRatio}); a
 *       mismatch aborts, since no metric of a broken split can be trusted.
 *   <li>Harm, on the experiment's whole counts: an arm is aborted once its always-valid confidence bound shows it
 *       worse than a guardrail allows (error-rate increase, novelty floor, positive-feedback ratio). {@code alpha}
 *       is split evenly over these tests and the treatment arms, so the chance of aborting an arm that is within
 *       every guardrail is at most {@code alpha}.
 *   <li>Advance: the step's own window holds {@code minSamples} impressions for every live arm and control, and no
 *       arm is harmful.
 *   <li>Lift, for status: each treatment arm's positive-feedback rate minus control's, with its confidence sequence,
 *       always-valid p-value and decision (Better, Worse, Inconclusive), at {@code alpha} split over the arms.
 * </ul>
 */
public final class GuardrailJudge {
  /** The effect size the lift test is tuned for, relative to control's rate: a 10% change. */
  static final double LIFT_SCALE = 0.1;

  private GuardrailJudge() {}

  /**
   * How a step's users were assigned: the weights in basis points (empty: unknown, no sample-ratio check) and the
   * router processes that counted them (a user reaching several counts once in each).
   */
  public record Split(Map<String, Integer> basisPoints, int routers) {
    public static final Split UNKNOWN = new Split(Map.of(), 1);
  }

  /** The verdict for the rollout, the sample-ratio check and each treatment arm's lift. */
  public record Judgement(Verdict verdict, SampleRatio sampleRatio, boolean sampleRatioMismatch,
      Map<String, ArmAnalysis> analyses) {
    Judgement(Verdict verdict, SampleRatio sampleRatio, Map<String, ArmAnalysis> analyses, double sampleRatioAlpha) {
      this(verdict, sampleRatio, sampleRatio.pValue() < sampleRatioAlpha, analyses);
    }
  }

  /**
   * One arm against control: lift of the positive-feedback rate (absolute difference), its always-valid interval
   * and p-value, and the decision: Better, Worse or Inconclusive, or Harmful when a guardrail aborted it.
   */
  public record ArmAnalysis(double lift, double lower, double upper, double pValue, String decision) {}

  /**
   * @param arms the experiment's arms
   * @param live names of the treatment arms currently receiving traffic (only they can stop or hold the step)
   * @param step what every arm counted in the current step, under {@code basisPoints}
   * @param whole what every arm counted since the experiment (re)started
   * @param split the weights the step's users were assigned with, and by how many router processes
   */
  public static Judgement judge(Guardrails g, List<Arm> arms, List<String> live, Map<String, ArmCounters> step,
      Map<String, ArmCounters> whole, Split split) {
    Arm control = arms.stream().filter(a -> Boolean.TRUE.equals(a.control)).findFirst().orElseThrow();
    ArmCounters c = whole.get(control.name);
    ArmCounters cStep = step.get(control.name);
    if (c == null || cStep == null) {
      return new Judgement(Verdict.hold("no metrics for control arm " + control.name), SampleRatio.UNTESTED, false,
          Map.of());
    }
    long treatments = arms.size() - 1L;
    double alpha = g.alpha == null ? 0.05 : g.alpha;
    double liftAlpha = alpha / Math.max(1, treatments);
    Map<String, ArmAnalysis> analyses = new LinkedHashMap<>();
    for (Arm arm : arms) {
      ArmCounters a = whole.get(arm.name);
      if (!Boolean.TRUE.equals(arm.control) && a != null) {
        analyses.put(arm.name, lift(a, c, liftAlpha));
      }
    }

    Map<String, Long> users = new LinkedHashMap<>();
    step.forEach((arm, counters) -> users.put(arm, counters.assignedUsers()));
    SampleRatio ratio = SampleRatio.check(users, split.basisPoints(), split.routers());
    double ratioAlpha = g.sampleRatioAlpha == null ? 0.0005 : g.sampleRatioAlpha;
    if (ratio.pValue() < ratioAlpha) {
      return new Judgement(Verdict.breach(String.format(Locale.ROOT,
          "sample ratio mismatch: %s; chi-square %.1f, p %.2g < %.2g", ratio.summary(), ratio.chiSquare(),
          ratio.pValue(), ratioAlpha)), ratio, analyses, ratioAlpha);
    }
    if (live.isEmpty()) {
      return new Judgement(Verdict.hold("no treatment arm has traffic yet, nothing to judge"), ratio, analyses, ratioAlpha);
    }

    long minSamples = g.minSamples == null ? 0 : g.minSamples;
    int tests = g.minNoveltyRate == null ? 2 : 3;
    double harmAlpha = alpha / (Math.max(1, treatments) * tests);
    for (String name : live) {
      ArmCounters a = whole.get(name);
      if (a == null || step.get(name) == null) {
        return new Judgement(Verdict.hold("no metrics for arm " + name), ratio, analyses, ratioAlpha);
      }
      if (a.impressions() < minSamples || c.impressions() < minSamples) {
        continue; // too few for the normal approximation the tests rest on
      }
      String harm = harm(g, name, a, c, harmAlpha);
      if (harm != null) {
        ArmAnalysis l = analyses.get(name);
        analyses.put(name, new ArmAnalysis(l.lift(), l.lower(), l.upper(), l.pValue(), "Harmful"));
        return new Judgement(Verdict.breach(harm), ratio, analyses, ratioAlpha);
      }
    }
    StringBuilder summary = new StringBuilder();
    for (String name : live) {
      ArmCounters a = step.get(name);
      if (a.impressions() < minSamples || cStep.impressions() < minSamples) {
        return new Judgement(Verdict.hold(String.format(Locale.ROOT,
            "waiting for %d impressions per arm in this step (%s: %d, %s: %d)",
            minSamples, name, a.impressions(), control.name, cStep.impressions())), ratio, analyses, ratioAlpha);
      }
      summary.append(summary.isEmpty() ? "" : "; ").append(name).append(" within guardrails");
    }
    return new Judgement(Verdict.pass(summary.toString()), ratio, analyses, ratioAlpha);
  }

  /** Why the arm is worse than a guardrail allows, or null while its confidence bounds do not show that. */
  private static String harm(Guardrails g, String name, ArmCounters a, ArmCounters c, double alpha) {
    double maxIncrease = g.maxErrorRateIncrease == null ? 0.01 : g.maxErrorRateIncrease;
    SequentialEvidence errors = SequentialEvidence.difference(a.errors(), a.requests(), c.errors(), c.requests(), 1);
    double errorScale = Math.max(maxIncrease, 0.001);
    if (errors.lower(alpha, errorScale) > maxIncrease) {
      return String.format(Locale.ROOT,
          "arm %s error rate %.4f exceeds control's %.4f by more than %.4f (the difference is at least %.4f, p %.2g)",
          name, a.errorRate(), c.errorRate(), maxIncrease, errors.lower(alpha, errorScale),
          errors.pValue(maxIncrease, errorScale));
    }
    if (g.minNoveltyRate != null) {
      SequentialEvidence novelty = SequentialEvidence.rate(a.exploredNovel(), a.explorationImpressions());
      double noveltyScale = Math.max(LIFT_SCALE * g.minNoveltyRate, 0.001);
      if (novelty.upper(alpha, noveltyScale) < g.minNoveltyRate) {
        return String.format(Locale.ROOT, "arm %s novelty rate %.4f is below %.4f (at most %.4f, p %.2g)",
            name, a.noveltyRate(), g.minNoveltyRate, novelty.upper(alpha, noveltyScale),
            novelty.pValue(g.minNoveltyRate, noveltyScale));
      }
    }
    double ratio = g.minPositiveFeedbackRatio == null ? 0.9 : g.minPositiveFeedbackRatio;
    SequentialEvidence feedback = SequentialEvidence.difference(a.exploredPositiveFeedbackCount(),
        a.exploredPositiveFeedbackBase(), c.positiveFeedback(), c.impressions(), ratio);
    double feedbackScale = feedbackScale(c, Math.max(1 - ratio, LIFT_SCALE));
    if (feedback.upper(alpha, feedbackScale) < 0) {
      return String.format(Locale.ROOT,
          "arm %s positive-feedback rate on explored items %.4f is below %.2f x control's %.4f (by at least %.4f, p %.2g)",
          name, a.exploredPositiveFeedbackRate(), ratio, c.positiveFeedbackRate(), -feedback.upper(alpha, feedbackScale),
          feedback.pValue(0, feedbackScale));
    }
    return null;
  }

  private static ArmAnalysis lift(ArmCounters a, ArmCounters c, double alpha) {
    SequentialEvidence lift = SequentialEvidence.difference(a.positiveFeedback(), a.impressions(), c.positiveFeedback(),
        c.impressions(), 1);
    double scale = feedbackScale(c, LIFT_SCALE);
    double lower = lift.lower(alpha, scale);
    double upper = lift.upper(alpha, scale);
    String decision = lower > 0 ? "Better" : upper < 0 ? "Worse" : "Inconclusive";
    return new ArmAnalysis(lift.estimate(), lower, upper, lift.pValue(0, scale), decision);
  }

  /** The mixture scale of a positive-feedback test: a share of control's rate (smoothed, never 0). */
  private static double feedbackScale(ArmCounters control, double share) {
    return share * (control.positiveFeedback() + 0.5) / (control.impressions() + 1.0);
  }
}
