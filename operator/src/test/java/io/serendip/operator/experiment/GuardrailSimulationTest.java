package io.serendip.operator.experiment;

import static io.serendip.operator.experiment.Specs.arm;
import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec.Guardrails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Simulated experiments with known effects, judged by {@link GuardrailJudge} after every batch of traffic as the
 * operator judges them every interval: how often a healthy arm is aborted (false positives under peeking), how
 * often and how soon a harmful one is (power), beside the fixed-threshold rule the judge used before. Writes the
 * table of docs/benchmarks.md to {@code target/guardrail-simulation.md}.
 */
class GuardrailSimulationTest {
  static final int REPLICATES = 1000;
  static final int LOOKS = 40;
  /** Impressions per arm between two looks. */
  static final int BATCH = 500;
  static final double CONTROL_FEEDBACK = 0.10;
  static final double EXPLORED_SHARE = 0.2;
  static final double ERROR_RATE = 0.005;
  /** Impressions per recommend request (a slate of 5; one new user each). */
  static final int SLATE = 5;

  private final List<Arm> arms = List.of(arm("control", true, 50), arm("explore", false, 50));
  private final Guardrails g = new Guardrails(); // alpha 0.05, ratio 0.9, error increase 0.01, minSamples 500

  /** What the explore arm does differently. */
  record Effect(String name, double exploredFeedback, double feedback, double errorRate, double userLoss) {}

  /** One scenario's outcome over the replicates. */
  record Outcome(double sequentialAborts, double fixedAborts, double medianImpressionsToAbort, double better,
      double worse, double sampleRatioHalts) {}

  @Test
  void healthyArmsAreRarelyAbortedAndHarmfulOnesAreCaught() throws Exception {
    List<Effect> effects = List.of(
        new Effect("no effect", CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("explored feedback at the floor (0.9x)", 0.9 * CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("explored feedback 0.8x", 0.8 * CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("explored feedback 0.7x", 0.7 * CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("explored feedback 0.5x", 0.5 * CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("error rate +0.01 (at the limit)", CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE + 0.01, 0),
        new Effect("error rate +0.03", CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE + 0.03, 0),
        new Effect("feedback +10% (lift)", CONTROL_FEEDBACK, 1.1 * CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("feedback +20% (lift)", CONTROL_FEEDBACK, 1.2 * CONTROL_FEEDBACK, ERROR_RATE, 0),
        new Effect("10% of explore's users lost", CONTROL_FEEDBACK, CONTROL_FEEDBACK, ERROR_RATE, 0.10));
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    long seed = 2026;
    for (Effect effect : effects) {
      outcomes.put(effect.name(), simulate(effect, seed++));
    }
    String table = table(outcomes);
    Path out = Path.of("target", "guardrail-simulation.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println(table);

    double alpha = g.alpha;
    Outcome none = outcomes.get("no effect");
    Outcome floor = outcomes.get("explored feedback at the floor (0.9x)");
    Outcome limit = outcomes.get("error rate +0.01 (at the limit)");
    // Under continuous peeking the sequential judge keeps its promise where the fixed threshold does not.
    assertThat(none.sequentialAborts()).isLessThanOrEqualTo(alpha);
    assertThat(floor.sequentialAborts()).isLessThanOrEqualTo(alpha);
    assertThat(limit.sequentialAborts()).isLessThanOrEqualTo(alpha);
    assertThat(none.better() + none.worse()).isLessThanOrEqualTo(alpha);
    assertThat(none.sampleRatioHalts()).isLessThanOrEqualTo(alpha);
    assertThat(floor.fixedAborts()).isGreaterThan(0.5);
    // Power at the stated effects, within 20,000 impressions per arm.
    assertThat(outcomes.get("explored feedback 0.5x").sequentialAborts()).isGreaterThanOrEqualTo(0.9);
    assertThat(outcomes.get("error rate +0.03").sequentialAborts()).isGreaterThanOrEqualTo(0.9);
    assertThat(outcomes.get("feedback +20% (lift)").better()).isGreaterThanOrEqualTo(0.9);
    assertThat(outcomes.get("10% of explore's users lost").sampleRatioHalts()).isGreaterThan(none.sampleRatioHalts());
  }

  private Outcome simulate(Effect effect, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int sequentialAborts = 0;
    int fixedAborts = 0;
    int better = 0;
    int worse = 0;
    int halts = 0;
    List<Long> abortedAt = new ArrayList<>();
    for (int r = 0; r < REPLICATES; r++) {
      long[] c = new long[8];
      long[] e = new long[8];
      boolean fixedAborted = false;
      boolean decided = false;
      boolean halted = false;
      for (int look = 1; look <= LOOKS; look++) {
        add(c, random, CONTROL_FEEDBACK, 0, CONTROL_FEEDBACK, ERROR_RATE, 0);
        add(e, random, effect.feedback(), EXPLORED_SHARE, effect.exploredFeedback(), effect.errorRate(), effect.userLoss());
        ArmCounters control = counters(c);
        ArmCounters explore = counters(e);
        Map<String, ArmCounters> counts = Map.of("control", control, "explore", explore);
        var judgement = GuardrailJudge.judge(g, arms, List.of("explore"), counts, counts,
            new GuardrailJudge.Split(Map.of("control", 5000, "explore", 5000), 1));
        var analysis = judgement.analyses().get("explore");
        if (!decided && !"Inconclusive".equals(analysis.decision()) && !"Harmful".equals(analysis.decision())) {
          decided = true;
          better += "Better".equals(analysis.decision()) ? 1 : 0;
          worse += "Worse".equals(analysis.decision()) ? 1 : 0;
        }
        halted |= judgement.sampleRatioMismatch();
        fixedAborted |= fixedThresholdBreach(control, explore);
        if (judgement.verdict().kind() == Verdict.Kind.BREACH && !judgement.sampleRatioMismatch()) {
          sequentialAborts++;
          abortedAt.add((long) look * BATCH);
          break;
        }
      }
      fixedAborts += fixedAborted ? 1 : 0;
      halts += halted ? 1 : 0;
    }
    double median = abortedAt.isEmpty() ? Double.NaN
        : abortedAt.stream().sorted().toList().get(abortedAt.size() / 2);
    return new Outcome(sequentialAborts / (double) REPLICATES, fixedAborts / (double) REPLICATES, median,
        better / (double) REPLICATES, worse / (double) REPLICATES, halts / (double) REPLICATES);
  }

  /**
   * One batch of an arm's traffic: BATCH impressions in slates of SLATE, an explored share, Bernoulli feedback,
   * errors per request, and one new user per slate (the user-loss share of them never counted).
   */
  private static void add(long[] arm, SplittableRandom random, double feedback, double exploredShare,
      double exploredFeedback, double errorRate, double userLoss) {
    int requests = BATCH / SLATE;
    for (int i = 0; i < requests; i++) {
      arm[0]++;
      arm[1] += random.nextDouble() < errorRate ? 1 : 0;
      arm[7] += random.nextDouble() < userLoss ? 0 : 1;
    }
    for (int i = 0; i < BATCH; i++) {
      arm[2]++;
      boolean explored = random.nextDouble() < exploredShare;
      boolean positive = random.nextDouble() < (explored ? exploredFeedback : feedback);
      arm[3] += explored ? 1 : 0;
      arm[4] += positive ? 1 : 0;
      arm[5] += explored && positive ? 1 : 0;
      arm[6] += explored ? 1 : 0;
    }
  }

  private static ArmCounters counters(long[] a) {
    return new ArmCounters(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
  }

  /** The rule judged before: the point estimates against the thresholds, once both arms have minSamples. */
  private boolean fixedThresholdBreach(ArmCounters control, ArmCounters explore) {
    if (explore.impressions() < g.minSamples || control.impressions() < g.minSamples) {
      return false;
    }
    return explore.errorRate() - control.errorRate() > g.maxErrorRateIncrease
        || explore.exploredPositiveFeedbackRate() < g.minPositiveFeedbackRatio * control.positiveFeedbackRate();
  }

  private static String table(Map<String, Outcome> outcomes) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d replicates per row, seeds 2026.., %d looks of %d impressions per arm"
        + " (up to %,d), control positive-feedback rate %.2f, explored share %.1f, error rate %.3f; alpha 0.05,"
        + " minPositiveFeedbackRatio 0.9, maxErrorRateIncrease 0.01, minSamples 500, sampleRatioAlpha 0.0005."
        + " +- is one standard error.%n%n", REPLICATES, LOOKS, BATCH, LOOKS * BATCH, CONTROL_FEEDBACK, EXPLORED_SHARE,
        ERROR_RATE));
    out.append("| explore arm | aborted, sequential | aborted, fixed threshold | median impressions to abort"
        + " | lift Better | lift Worse | sample-ratio halt |\n|---|---|---|---|---|---|---|\n");
    outcomes.forEach((name, o) -> out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n",
        name, rate(o.sequentialAborts()), rate(o.fixedAborts()),
        Double.isNaN(o.medianImpressionsToAbort()) ? "-" : String.format(Locale.ROOT, "%,.0f", o.medianImpressionsToAbort()),
        rate(o.better()), rate(o.worse()), rate(o.sampleRatioHalts()))));
    return out.toString();
  }

  private static String rate(double p) {
    return String.format(Locale.ROOT, "%.3f +- %.3f", p, Math.sqrt(p * (1 - p) / REPLICATES));
  }
}
