package io.serendip.operator.interestmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.serendip.config.InterestModelTrainingSettings;
import io.serendip.config.JobConfigs;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelEngine;
import io.serendip.operator.api.InterestModelSpec;
import io.serendip.operator.api.InterestModelTraining;
import io.serendip.operator.api.ModelResources;
import io.serendip.operator.api.TrainingStatus;
import io.serendip.operator.support.RuntimeImage;
import io.serendip.operator.workload.JobConfigMaps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.training: the version, the Job and its typed config, and the gate numbers read back from the pod. */
class InterestModelTrainingTest {
  static final String CLUSTERS = "/artifacts/clusters/movielens/v1a2b";

  static InterestModel model(InterestModelTraining.Method method) {
    InterestModel im = new InterestModel();
    im.setMetadata(new ObjectMetaBuilder().withName("novelty").withNamespace("ns").withUid("u-1").build());
    im.setSpec(new InterestModelSpec());
    im.getSpec().clusterSetRef = "movielens";
    im.getSpec().training = new InterestModelTraining();
    im.getSpec().training.method = method;
    im.getSpec().engine = method == InterestModelTraining.Method.FineTune
        ? InterestModelEngine.Transformers : InterestModelEngine.PyTorch;
    return im;
  }

  @Test
  void whatTheOperatorWritesTheTrainingJobAccepts() {
    InterestModel im = model(InterestModelTraining.Method.FineTune);
    im.getSpec().training.maxExamples = 320;
    TrainingPlan plan = TrainingPlan.of(im, CLUSTERS);
    assertThat(JobConfigMaps.validate(plan.configFiles())).isEmpty();
    var written = JobConfigs.parse(InterestModelTrainingJob.configMap(im, plan).getData().get("train.yaml"))
        .interestModelTraining();
    assertThat(written.method()).isEqualTo(InterestModelTrainingSettings.Method.FineTune);
    assertThat(written.clusters()).isEqualTo(CLUSTERS);
    assertThat(written.output()).isEqualTo(plan.artifactPath())
        .isEqualTo("/artifacts/interest-models/novelty/" + plan.version());
    assertThat(written.maxExamples()).isEqualTo(320);
    assertThat(written.loraRank()).isEqualTo(8);
    assertThat(written.historyLength()).isEqualTo(2);
    assertThat(written.seed()).isEqualTo(42L);
  }

  @Test
  void theVersionFollowsWhatShapesTheModelAndNothingElse() {
    InterestModel im = model(InterestModelTraining.Method.FineTune);
    String v1 = TrainingPlan.of(im, CLUSTERS).version();
    assertThat(TrainingPlan.of(im, CLUSTERS).version()).isEqualTo(v1);
    // where it trains is not what it is
    im.getSpec().training.resources = new ModelResources();
    im.getSpec().training.resources.gpus = 1;
    im.getSpec().replicas = 3;
    assertThat(TrainingPlan.of(im, CLUSTERS).version()).isEqualTo(v1);
    // new clusters, a new seed, a new base: a new version beside the old one
    assertThat(TrainingPlan.of(im, "/artifacts/clusters/movielens/v9").version()).isNotEqualTo(v1);
    im.getSpec().training.seed = 7L;
    String v2 = TrainingPlan.of(im, CLUSTERS).version();
    assertThat(v2).isNotEqualTo(v1);
    im.getSpec().training.baseModelSha256 = "ab".repeat(32);
    assertThat(TrainingPlan.of(im, CLUSTERS).version()).isNotIn(v1, v2);
    assertThat(TrainingPlan.of(im, CLUSTERS).jobName()).startsWith("novelty-train-v");
  }

  @Test
  void theJobRunsItsConfigOnTheRightImageAndDoesNotRetryADeterministicRefusal() {
    InterestModel fineTune = model(InterestModelTraining.Method.FineTune);
    TrainingPlan plan = TrainingPlan.of(fineTune, CLUSTERS);
    Job job = InterestModelTrainingJob.job(fineTune, plan);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).containsExactly("job", "--config", "/etc/serendip/train.yaml");
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(RuntimeImage.cuda());
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo(plan.jobName()));
    var rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules.get(0).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(0).getOnExitCodes().getValues()).containsExactly(2, 3, 4);
    assertThat(rules.get(1).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(1).getOnPodConditions().get(0).getType()).isEqualTo("DisruptionTarget");

    InterestModel scratch = model(InterestModelTraining.Method.FromScratch);
    Job scratchJob = InterestModelTrainingJob.job(scratch, TrainingPlan.of(scratch, CLUSTERS));
    assertThat(scratchJob.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(RuntimeImage.get());
  }

  static Pod finishedPod(String job, String created, int exitCode, String message) {
    return new PodBuilder()
        .withNewMetadata().withName(job + "-" + created).withCreationTimestamp(created)
        .withLabels(Map.of("job-name", job)).endMetadata()
        .withNewStatus().addNewContainerStatus().withName("job").withNewState().withNewTerminated()
        .withExitCode(exitCode).withMessage(message).endTerminated().endState().endContainerStatus().endStatus()
        .build();
  }

  @Test
  void theGateNumbersComeFromTheLatestPodsTerminationMessage() {
    String failed = "{\"passed\":false,\"cases\":200,\"exactMatchRate\":0.42123,\"validRate\":1.0,\"recall\":0.01,"
        + "\"baselineRecall\":{\"random\":0.005,\"transition-frequency\":0.031},"
        + "\"failures\":[\"exact-match rate 0.4212 < 0.90\",\"test recall 0.0100 < 0.015\"]}";
    String passed = "{\"passed\":true,\"cases\":200,\"exactMatchRate\":0.97,\"validRate\":1.0,\"recall\":0.0412,"
        + "\"baselineRecall\":{\"transition-frequency\":0.0388},\"failures\":[]}";
    List<Pod> pods = List.of(
        finishedPod("novelty-train-v1", "2026-12-04T06:00:00Z", 3, failed),
        finishedPod("novelty-train-v1", "2026-12-04T07:00:00Z", 0, passed),
        finishedPod("other-job", "2026-12-04T08:00:00Z", 0, passed.replace("0.97", "0.5")));
    TrainingStatus.GateNumbers gates = InterestModelTrainingJob.gates(pods, "novelty-train-v1").orElseThrow();
    assertThat(gates.passed).isTrue();
    assertThat(gates.exactMatchRate).isEqualTo(0.97);
    assertThat(gates.recall).isEqualTo(0.0412);
    assertThat(gates.baselineRecall).isEqualTo(0.0388);
    assertThat(gates.cases).isEqualTo(200);

    TrainingStatus.GateNumbers missed = InterestModelTrainingJob.gates(pods.subList(0, 1), "novelty-train-v1")
        .orElseThrow();
    assertThat(missed.passed).isFalse();
    assertThat(missed.exactMatchRate).isEqualTo(0.4212);
    assertThat(InterestModelTrainingJob.describe(missed))
        .isEqualTo("exact-match 0.4212, valid 1.0, recall 0.01 (transition-frequency baseline 0.031) on 200 held-out cases");
  }

  @Test
  void aCrashLogIsNotGateNumbers() {
    assertThat(InterestModelTrainingJob.parseGates("java.lang.OutOfMemoryError: Java heap space")).isEmpty();
    assertThat(InterestModelTrainingJob.parseGates("{\"error\": \"x\"}")).isEmpty();
    assertThat(InterestModelTrainingJob.parseGates("{ truncated")).isEmpty();
    assertThat(InterestModelTrainingJob.parseGates(null)).isEmpty();
  }
}
