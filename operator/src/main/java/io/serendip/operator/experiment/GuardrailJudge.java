package io.serendip.operator.experiment;

import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec.Guardrails;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Pure comparison of every treatment arm that gets traffic with the control arm. */
public final class GuardrailJudge {
  private GuardrailJudge() {}

  /**
   * @param arms the experiment's arms
   * @param live names of the treatment arms currently receiving traffic (only they are judged)
   */
  public static Verdict judge(Guardrails g, List<Arm> arms, List<String> live, Map<String, ArmCounters> counters) {
    Arm control = arms.stream().filter(a -> Boolean.TRUE.equals(a.control)).findFirst().orElseThrow();
    ArmCounters c = counters.get(control.name);
    if (c == null) {
      return Verdict.hold("no metrics for control arm " + control.name);
    }
    if (live.isEmpty()) {
      return Verdict.hold("no treatment arm has traffic yet, nothing to judge");
    }
    long minSamples = g.minSamples == null ? 0 : g.minSamples;
    StringBuilder summary = new StringBuilder();
    for (String name : live) {
      ArmCounters a = counters.get(name);
      if (a == null) {
        return Verdict.hold("no metrics for arm " + name);
      }
      if (a.impressions() < minSamples || c.impressions() < minSamples) {
        return Verdict.hold(String.format(Locale.ROOT, "waiting for %d impressions per arm (%s: %d, %s: %d)",
            minSamples, name, a.impressions(), control.name, c.impressions()));
      }
      double maxIncrease = g.maxErrorRateIncrease == null ? 0.01 : g.maxErrorRateIncrease;
      if (a.errorRate() - c.errorRate() > maxIncrease) {
        return Verdict.breach(String.format(Locale.ROOT,
            "arm %s error rate %.4f exceeds control's %.4f by more than %.4f",
            name, a.errorRate(), c.errorRate(), maxIncrease));
      }
      if (g.minNoveltyRate != null && a.noveltyRate() < g.minNoveltyRate) {
        return Verdict.breach(String.format(Locale.ROOT, "arm %s novelty rate %.4f is below %.4f",
            name, a.noveltyRate(), g.minNoveltyRate));
      }
      double ratio = g.minPositiveFeedbackRatio == null ? 0.9 : g.minPositiveFeedbackRatio;
      double floor = ratio * c.positiveFeedbackRate();
      if (a.exploredPositiveFeedbackRate() < floor) {
        return Verdict.breach(String.format(Locale.ROOT,
            "arm %s positive-feedback rate on explored items %.4f is below %.2f x control's %.4f",
            name, a.exploredPositiveFeedbackRate(), ratio, c.positiveFeedbackRate()));
      }
      summary.append(summary.isEmpty() ? "" : "; ").append(name).append(" within guardrails");
    }
    return Verdict.pass(summary.toString());
  }
}
