package io.serendip.operator.experiment;

import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentStatus;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.workload.DeploymentReadiness;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The "report" step of an experiment: status fields and readiness conditions from the rollout state. */
final class ExperimentReport {
  private ExperimentReport() {}

  static void readiness(Conditions c, RolloutState state, DeploymentReadiness router, boolean controlReady) {
    boolean aborted = RolloutState.ABORTED.equals(state.phase());
    c.set(Conditions.DEGRADED, aborted, aborted ? "Aborted" : "Healthy", aborted ? state.abortReason() : "");
    if (state.stalledReason() != null) {
      c.set("Progressing", false, "ProgressDeadlineExceeded", state.stalledReason());
    } else {
      c.set("Progressing", state.active(), state.phase(), "step " + state.step());
    }
    if (!router.available()) {
      c.set(Conditions.READY, false, "RouterNotReady", router.ready() + "/" + router.desired() + " router pods ready")
          .set(Conditions.RECONCILING, true, "RouterNotReady", "waiting for the router Deployment")
          .set(Conditions.STALLED, false, "RouterNotReady", "");
    } else if (!controlReady) {
      c.set(Conditions.READY, false, "ControlNotReady", "the control arm's backends are not ready")
          .set(Conditions.RECONCILING, true, "ControlNotReady", "waiting for the control arm")
          .set(Conditions.STALLED, false, "ControlNotReady", "");
    } else if (aborted) {
      c.set(Conditions.READY, false, "Aborted", state.abortReason())
          .set(Conditions.RECONCILING, false, "Aborted", "")
          .set(Conditions.STALLED, true, "Aborted", state.abortReason());
    } else if (state.stalledReason() != null) {
      // Still serving (Ready), but the rollout needs a person: kstatus Stalled.
      c.set(Conditions.READY, true, "RouterReady", "router serving, rollout " + state.phase())
          .set(Conditions.RECONCILING, false, "ProgressDeadlineExceeded", "")
          .set(Conditions.STALLED, true, "ProgressDeadlineExceeded", state.stalledReason());
    } else {
      c.set(Conditions.READY, true, "RouterReady", "router serving, rollout " + state.phase())
          .set(Conditions.RECONCILING, false, "RouterReady", "")
          .set(Conditions.STALLED, false, "RouterReady", "");
    }
  }

  /**
   * Fills {@code next}. {@code counters} is null when metrics were not read this time (rollout finished,
   * or the source unavailable): each arm then keeps the metrics of {@code previous}, which stay paired
   * with the carried-over {@code metricsReadAt}.
   */
  static void fill(ExplorationExperimentStatus next, ExplorationExperimentStatus previous, ExplorationExperiment xp,
      RolloutState state, Set<String> readyArms, Map<String, RecommenderModel> models,
      Map<String, ArmCounters> counters, DeploymentReadiness router) {
    next.observedGeneration = xp.getMetadata().getGeneration();
    next.phase = state.phase();
    next.currentStep = state.step();
    next.stepStartedAt = state.stepStartedAt().toString();
    next.abortReason = state.abortReason();
    next.routerReadyReplicas = router.ready();
    next.weights = StatusWeights.format(state.basisPoints());
    next.arms = new ArrayList<>();
    for (Arm arm : xp.getSpec().arms) {
      var s = new ExplorationExperimentStatus.ArmStatus();
      s.name = arm.name;
      s.weight = state.basisPoints().get(arm.name) / 100;
      s.ready = readyArms.contains(arm.name);
      RecommenderModel m = models.get(arm.recommenderRef);
      s.readyReplicas = m == null || m.getStatus() == null || m.getStatus().readyReplicas == null
          ? 0 : m.getStatus().readyReplicas;
      s.metrics = counters == null ? previousMetrics(previous, arm.name) : metrics(counters.get(arm.name));
      next.arms.add(s);
    }
    var shadow = xp.getSpec().shadow;
    if (shadow != null) {
      var s = new ExplorationExperimentStatus.ArmStatus();
      s.name = shadow.name;
      s.weight = 0;
      RecommenderModel m = models.get(shadow.recommenderRef);
      s.ready = ExplorationExperimentReconciler.backendReady(m);
      s.readyReplicas = m == null || m.getStatus() == null || m.getStatus().readyReplicas == null
          ? 0 : m.getStatus().readyReplicas;
      s.metrics = counters == null
          ? previous == null || previous.shadow == null || !shadow.name.equals(previous.shadow.name) ? null
              : previous.shadow.metrics
          : metrics(counters.get(shadow.name));
      next.shadow = s;
    }
  }

  private static ExplorationExperimentStatus.ArmMetrics metrics(ArmCounters c) {
    if (c == null) {
      return null;
    }
    var metrics = new ExplorationExperimentStatus.ArmMetrics();
    metrics.requests = c.requests();
    metrics.impressions = c.impressions();
    metrics.errorRate = rate(c.errorRate());
    metrics.noveltyRate = rate(c.noveltyRate());
    metrics.positiveFeedbackRate = rate(c.positiveFeedbackRate());
    return metrics;
  }

  /**
   * Each arm's whole counts and each treatment arm's analysis. Without a new judgement they are carried over; a
   * rollout that starts again (first run, or a retry after an abort) starts them afresh. The p-value is the
   * smallest seen while the counts grew, which keeps it always valid and never rising.
   */
  static void analysis(ExplorationExperimentStatus next, ExplorationExperimentStatus previous, RolloutState before,
      RolloutState state, Map<String, ArmCounters> whole, GuardrailJudge.Judgement judgement) {
    if (restarted(before, state)) {
      return;
    }
    for (ExplorationExperimentStatus.ArmStatus arm : next.arms) {
      ExplorationExperimentStatus.ArmStatus last = previousArm(previous, arm.name);
      if (whole == null || judgement == null) {
        arm.counts = last == null ? null : last.counts;
        arm.analysis = last == null ? null : last.analysis;
        continue;
      }
      ArmCounters c = whole.get(arm.name);
      arm.counts = c == null ? null : counts(c);
      GuardrailJudge.ArmAnalysis a = judgement.analyses().get(arm.name);
      if (a != null) {
        var analysis = new ExplorationExperimentStatus.ArmAnalysis();
        analysis.lift = signed(a.lift());
        analysis.liftLower = signed(a.lower());
        analysis.liftUpper = signed(a.upper());
        double p = a.pValue();
        if (last != null && last.analysis != null && last.analysis.pValue != null) {
          p = Math.min(p, Double.parseDouble(last.analysis.pValue));
        }
        analysis.pValue = String.format(Locale.ROOT, "%.4g", p);
        analysis.decision = a.decision();
        arm.analysis = analysis;
      }
    }
    if (judgement == null) {
      next.sampleRatioPValue = previous.sampleRatioPValue;
    } else if (judgement.sampleRatio().tested()) {
      next.sampleRatioPValue = String.format(Locale.ROOT, "%.4g", judgement.sampleRatio().pValue());
    }
  }

  /** Whether this reconcile starts an aborted rollout again (a retry or another spec change). */
  static boolean restarted(RolloutState before, RolloutState state) {
    return before != null && RolloutState.ABORTED.equals(before.phase()) && !RolloutState.ABORTED.equals(state.phase());
  }

  /** The whole counts status holds (empty when it holds none): where they go on from after an operator restart. */
  static Map<String, ArmCounters> wholeCounts(ExplorationExperimentStatus status) {
    Map<String, ArmCounters> out = new java.util.HashMap<>();
    if (status.arms != null) {
      for (var arm : status.arms) {
        var c = arm.counts;
        if (c != null) {
          out.put(arm.name, new ArmCounters(orZero(c.requests), orZero(c.errors), orZero(c.impressions),
              orZero(c.explorationImpressions), orZero(c.positiveFeedback), orZero(c.exploredPositiveFeedback),
              orZero(c.exploredNovel), orZero(c.assignedUsers)));
        }
      }
    }
    return out;
  }

  private static ExplorationExperimentStatus.ArmCounts counts(ArmCounters c) {
    var out = new ExplorationExperimentStatus.ArmCounts();
    out.requests = c.requests();
    out.errors = c.errors();
    out.impressions = c.impressions();
    out.explorationImpressions = c.explorationImpressions();
    out.positiveFeedback = c.positiveFeedback();
    out.exploredPositiveFeedback = c.exploredPositiveFeedback();
    out.exploredNovel = c.exploredNovel();
    out.assignedUsers = c.assignedUsers();
    return out;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static String signed(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.4f", value) : value > 0 ? "+Inf" : "-Inf";
  }

  private static ExplorationExperimentStatus.ArmStatus previousArm(ExplorationExperimentStatus previous, String arm) {
    return previous == null || previous.arms == null ? null
        : previous.arms.stream().filter(a -> arm.equals(a.name)).findFirst().orElse(null);
  }

  private static ExplorationExperimentStatus.ArmMetrics previousMetrics(ExplorationExperimentStatus previous,
      String arm) {
    ExplorationExperimentStatus.ArmStatus last = previousArm(previous, arm);
    return last == null ? null : last.metrics;
  }

  private static String rate(double r) {
    return String.format(Locale.ROOT, "%.4f", r);
  }
}
