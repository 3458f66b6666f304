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
import java.util.stream.Collectors;

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
    next.weights = state.basisPoints().entrySet().stream()
        .map(e -> e.getKey() + "=" + percent(e.getValue()))
        .collect(Collectors.joining(","));
    next.arms = new ArrayList<>();
    for (Arm arm : xp.getSpec().arms) {
      var s = new ExplorationExperimentStatus.ArmStatus();
      s.name = arm.name;
      s.weight = state.basisPoints().get(arm.name) / 100;
      s.ready = readyArms.contains(arm.name);
      RecommenderModel m = models.get(arm.recommenderRef);
      s.readyReplicas = m == null || m.getStatus() == null || m.getStatus().readyReplicas == null
          ? 0 : m.getStatus().readyReplicas;
      ArmCounters c = counters == null ? null : counters.get(arm.name);
      if (counters == null) {
        s.metrics = previousMetrics(previous, arm.name);
      } else if (c != null) {
        var metrics = new ExplorationExperimentStatus.ArmMetrics();
        metrics.requests = c.requests();
        metrics.impressions = c.impressions();
        metrics.errorRate = rate(c.errorRate());
        metrics.noveltyRate = rate(c.noveltyRate());
        metrics.positiveFeedbackRate = rate(c.positiveFeedbackRate());
        s.metrics = metrics;
      }
      next.arms.add(s);
    }
  }

  private static ExplorationExperimentStatus.ArmMetrics previousMetrics(ExplorationExperimentStatus previous,
      String arm) {
    if (previous == null || previous.arms == null) {
      return null;
    }
    return previous.arms.stream().filter(a -> arm.equals(a.name)).findFirst()
        .map(a -> a.metrics).orElse(null);
  }

  private static String percent(int basisPoints) {
    return basisPoints % 100 == 0
        ? Integer.toString(basisPoints / 100)
        : String.format(Locale.ROOT, "%.2f", basisPoints / 100.0);
  }

  private static String rate(double r) {
    return String.format(Locale.ROOT, "%.4f", r);
  }}
