package io.serendip.operator.interestmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelTraining;
import io.serendip.operator.api.TrainingStatus;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;
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
  /** Exit codes of train-interest-model that a retry would not change: bad input, a missed gate, divergence. */
  static final int[] FINAL_EXIT_CODES = {2, 3, 4};
  private static final ObjectMapper JSON = new ObjectMapper();

  private InterestModelTrainingJob() {}

  static ConfigMap configMap(InterestModel im, TrainingPlan plan) {
    return JobConfigMaps.configMap(im, plan.jobName(), COMPONENT, plan.configFiles());
  }

  static Job job(InterestModel im, TrainingPlan plan) {
    InterestModelTraining t = im.getSpec().training;
    PodSpecInput pod = new PodSpecInput(COMPONENT, JobConfigMaps.args(TrainingPlan.CONFIG_FILE), t.resources,
        im.getSpec().pod, im.getSpec().storage, plan.jobName(), null, false,
        t.method == InterestModelTraining.Method.FineTune);
    return new JobBuilder()
        .withMetadata(Workloads.meta(im, plan.jobName(), COMPONENT))
        .withNewSpec()
        .withBackoffLimit(3)
        // A pod evicted or preempted is retried without counting; a deterministic refusal is not retried at all.
        .withNewPodFailurePolicy()
        .withRules(
            new PodFailurePolicyRuleBuilder().withAction("FailJob").withNewOnExitCodes()
                .withContainerName("job").withOperator("In")
                .withValues(java.util.Arrays.stream(FINAL_EXIT_CODES).boxed().toList()).endOnExitCodes().build(),
            new PodFailurePolicyRuleBuilder().withAction("Ignore")
                .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().build())
        .endPodFailurePolicy()
        .withTemplate(PodTemplates.build(im, pod))
        .endSpec()
        .build();
  }

  /** Creates this version's ConfigMap and Job where the informers have not seen them (they are never updated). */
  static void apply(Context<InterestModel> context, InterestModel im, TrainingPlan plan) {
    boolean haveConfig = context.getSecondaryResources(ConfigMap.class).stream()
        .anyMatch(c -> c.getMetadata().getName().equals(plan.jobName()));
    if (!haveConfig) {
      create(context, configMap(im, plan), im);
    }
    boolean haveJob = context.getSecondaryResources(Job.class).stream()
        .anyMatch(j -> j.getMetadata().getName().equals(plan.jobName()));
    if (!haveJob) {
      create(context, job(im, plan), im);
    }
  }

  private static void create(Context<InterestModel> context, HasMetadata object, InterestModel owner) {
    object.addOwnerReference(owner);
    try {
      context.getClient().resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // already there: the informer had not caught up
        throw e;
      }
    }
  }

  /** The gate numbers the Job's last finished pod left in its termination message. */
  static Optional<TrainingStatus.GateNumbers> gates(Collection<Pod> pods, String jobName) {
    return pods.stream()
        .filter(p -> jobName.equals(p.getMetadata().getLabels().get("job-name")))
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
