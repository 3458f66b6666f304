package io.serendip.operator.interestmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelTraining;
import io.serendip.operator.api.TrainingStatus;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PyTorchJobs;
import io.serendip.operator.workload.TrainingJobs;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The training Job of one InterestModel training version and its Job-config ConfigMap (both named by version, both
 * created once and owned by the model). Its pod leaves the gate numbers in its termination message, passed or not.
 */
public final class InterestModelTrainingJob {
  public static final String COMPONENT = "interest-model-training";
  private static final ObjectMapper JSON = new ObjectMapper();

  private InterestModelTrainingJob() {}

  static ConfigMap configMap(InterestModel im, TrainingPlan plan) {
    return JobConfigMaps.configMap(im, plan.jobName(), COMPONENT, plan.configFiles());
  }

  static Job job(InterestModel im, TrainingPlan plan) {
    return TrainingJobs.job(im, plan.jobName(), pod(im, plan));
  }

  /** The PyTorchJob of a version trained by several workers, each pod like the single-pod Job's. */
  static GenericKubernetesResource pyTorchJob(InterestModel im, TrainingPlan plan) {
    return PyTorchJobs.build(im, plan.jobName(), pod(im, plan), TrainingPlan.workers(im.getSpec().training));
  }

  private static PodSpecInput pod(InterestModel im, TrainingPlan plan) {
    InterestModelTraining t = im.getSpec().training;
    return new PodSpecInput(COMPONENT, JobConfigMaps.args(TrainingJobs.CONFIG_FILE), t.resources, im.getSpec().pod,
        im.getSpec().storage, plan.jobName(), null, false, t.method == InterestModelTraining.Method.FineTune);
  }

  /** The gate numbers the Job's last finished pod left in its termination message. */
  static Optional<TrainingStatus.GateNumbers> gates(Collection<Pod> pods, String jobName) {
    return TrainingJobs.jobPods(pods, jobName).stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .sorted(Comparator.comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), "")).reversed())
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .map(c -> c.getState() == null ? null : c.getState().getTerminated())
        .filter(Objects::nonNull)
        .map(t -> parseGates(t.getMessage()))
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** The JSON line of train-interest-model --gate-report; anything else (a crash's log tail) is not gate numbers. */
  static Optional<TrainingStatus.GateNumbers> parseGates(String message) {
    if (message == null || !message.strip().startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(message);
      if (!json.has("passed") || !json.has("recall")) {
        return Optional.empty();
      }
      TrainingStatus.GateNumbers gates = new TrainingStatus.GateNumbers();
      gates.passed = json.path("passed").asBoolean();
      gates.cases = json.path("cases").asInt();
      gates.exactMatchRate = round(json.path("exactMatchRate").asDouble());
      gates.validRate = round(json.path("validRate").asDouble());
      gates.recall = round(json.path("recall").asDouble());
      JsonNode baseline = json.at("/baselineRecall/transition-frequency");
      gates.baselineRecall = baseline.isNumber() ? round(baseline.asDouble()) : null;
      return Optional.of(gates);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Four decimals: what a status and a printer column can show, and stable across identical runs. */
  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  /** "exact-match 0.9731, valid 1.0, recall 0.0412 (transition-frequency 0.0388) on 200 cases". */
  static String describe(TrainingStatus.GateNumbers g) {
    return "exact-match " + g.exactMatchRate + ", valid " + g.validRate + ", recall " + g.recall
        + (g.baselineRecall == null ? "" : " (transition-frequency baseline " + g.baselineRecall + ")")
        + " on " + g.cases + " held-out cases";
  }
}
