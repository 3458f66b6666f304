package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.config.ArtifactLayout;
import io.serendip.config.InterestModelTrainingSettings;
import io.serendip.config.JobConfigs;
import io.serendip.config.RuntimeConfigs;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.interestmodel.InterestModelTrainingJob;
import io.serendip.operator.support.Labels;
import io.serendip.operator.workload.VersionRetention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An InterestModel with spec.training on the local control plane: the operator runs a training Job per version
 * with its typed config, waits for it before the precompute, and trains a changed spec beside the version in use.
 * (KWOK completes the Job pods: what training computes is tested with the runtime's jobs; here, the wiring.)
 */
@WithLocalControlPlane
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InClusterTrainingTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String ns;
  @TempDir
  static Path dir;

  static final String MODEL = """
      apiVersion: serendip.io/v1alpha1
      kind: InterestModel
      metadata:
        name: trained
      spec:
        clusterSetRef: movielens
        engine: PyTorch
        training:
          method: FromScratch
          hidden: 32
          layers: 1
          epochs: 6
          seed: %d
          revisionHistoryLimit: %d
        storage:
          uri: pvc://serendip-artifacts
        precompute:
          shards: 2
          parallelism: 2
          revisionHistoryLimit: %d
      """;

  static final String RECOMMENDER = """
      apiVersion: serendip.io/v1alpha1
      kind: RecommenderModel
      metadata:
        name: trained-recommender
      spec:
        clusterSetRef: movielens
        interestModelRef: trained
        training:
          hidden: 32
          layers: 1
          heads: 2
          epochs: 4
        replicas: 1
      """;

  @BeforeAll
  static void setUp() throws Exception {
    Crds.install(client);
    ns = controlPlane.createNamespace(client, "training");
    InProcessOperator.running(client);
    controlPlane.kubectl("apply", "-n", ns, "-f",
        Crds.REPO.resolve("examples/quickstart/00-artifacts-volume.yaml").toString(), "-f",
        Crds.REPO.resolve("examples/quickstart/00-interest-cluster-set.yaml").toString());
    apply(42, 2);
  }

  static void apply(long seed, int revisionHistoryLimit) throws Exception {
    Path file = dir.resolve("model-" + seed + ".yaml");
    Files.writeString(file, MODEL.formatted(seed, revisionHistoryLimit, revisionHistoryLimit));
    controlPlane.kubectl("apply", "-n", ns, "-f", file.toString());
  }

  static InterestModel model() {
    return client.resources(InterestModel.class).inNamespace(ns).withName("trained").get();
  }

  static List<Job> trainingJobs() {
    return client.batch().v1().jobs().inNamespace(ns)
        .withLabel(Labels.COMPONENT, InterestModelTrainingJob.COMPONENT).list().getItems();
  }

  @Test
  @Order(1)
  void theTrainedVersionFeedsThePrecomputeAndTheServer() {
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=240s", "interestmodel/trained");
    InterestModel im = model();
    String clusters = client.resources(InterestClusterSet.class).inNamespace(ns).withName("movielens").get()
        .getStatus().artifactPath;
    assertThat(im.getStatus().training.state).isEqualTo("Succeeded");
    assertThat(im.getStatus().artifactPath).isEqualTo(im.getStatus().training.artifactPath)
        .isEqualTo("/artifacts/interest-models/trained/" + im.getStatus().training.version);
    assertThat(trainingJobs()).extracting(j -> j.getMetadata().getName()).containsExactly(im.getStatus().training.job);

    // the training Job's typed config, as the job reads it
    var training = JobConfigs.parse(client.configMaps().inNamespace(ns).withName(im.getStatus().training.job).get()
        .getData().get("train.yaml")).interestModelTraining();
    assertThat(training.method()).isEqualTo(InterestModelTrainingSettings.Method.FromScratch);
    assertThat(training.clusters()).isEqualTo(clusters);
    assertThat(training.output()).isEqualTo(im.getStatus().artifactPath);
    assertThat(training.hidden()).isEqualTo(32);
    assertThat(training.seed()).isEqualTo(42L);

    // the precompute and the server use the trained artifact
    var precompute = JobConfigs.parse(client.configMaps().inNamespace(ns)
        .withName("trained-novelty-" + im.getStatus().tableVersion).get().getData().get("precompute.yaml"));
    assertThat(precompute.noveltyPrecompute().interestModel()).isEqualTo(im.getStatus().artifactPath);
    assertThat(client.configMaps().inNamespace(ns).withName("trained-interest-model-config").get()
        .getData().get("config.yaml")).contains("modelDir: " + im.getStatus().artifactPath);
    assertThat(im.getStatus().noveltyTable).startsWith("/artifacts/novelty/trained/" + im.getStatus().tableVersion);

    // kubectl get shows the training columns (KWOK's pods leave no gate numbers, so those cells are empty)
    assertThat(controlPlane.kubectl("get", "im", "-n", ns).lines().findFirst().orElseThrow())
        .contains("TRAINING", "EXACTMATCH", "RECALL", "BASELINERECALL");
    assertThat(controlPlane.kubectl("get", "im", "trained", "-n", ns)).contains("Succeeded");
  }

  @Test
  @Order(2)
  void aChangedSpecTrainsANewVersionBesideTheOneInUse() throws Exception {
    InterestModel before = model();
    apply(7, 2);
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      InterestModel im = model();
      assertThat(im.getStatus().training.version).isNotEqualTo(before.getStatus().training.version);
      assertThat(im.getStatus().training.state).isEqualTo("Succeeded");
      assertThat(im.getStatus().artifactPath).isEqualTo(im.getStatus().training.artifactPath);
      assertThat(im.getStatus().noveltyTable).isNotEqualTo(before.getStatus().noveltyTable);
    });
    // the old version's Job is still there (a retention rule is what removes versions), the new one beside it
    assertThat(trainingJobs()).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(before.getStatus().training.job, model().getStatus().training.job);
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=120s", "interestmodel/trained");
  }

  @Test
  @Order(3)
  void versionsBeyondTheRetentionLimitLoseTheirJobConfigAndArtifact() throws Exception {
    // two versions so far (seeds 42 and 7); a third with no history kept retires both others
    List<String> old = trainingJobs().stream().map(j -> j.getMetadata().getName()).toList();
    Map<String, String> artifacts = new HashMap<>();
    for (String job : old) {
      artifacts.put(job, JobConfigs.parse(client.configMaps().inNamespace(ns).withName(job).get().getData()
          .get("train.yaml")).interestModelTraining().output());
    }
    List<String> oldTables = client.configMaps().inNamespace(ns).withLabel(Labels.COMPONENT, "novelty-jobs").list()
        .getItems().stream().map(c -> c.getMetadata().getName()).toList();
    assertThat(oldTables).hasSize(2);
    apply(99, 0);
    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      InterestModel im = model();
      assertThat(old).doesNotContain(im.getStatus().training.job);
      assertThat(im.getStatus().training.state).isEqualTo("Succeeded");
      assertThat(im.getStatus().artifactPath).isEqualTo(im.getStatus().training.artifactPath);
      assertThat(trainingJobs()).extracting(j -> j.getMetadata().getName())
          .containsExactly(im.getStatus().training.job);
      assertThat(client.configMaps().inNamespace(ns).withLabel(Labels.COMPONENT, InterestModelTrainingJob.COMPONENT)
          .list().getItems()).extracting(c -> c.getMetadata().getName()).containsExactly(im.getStatus().training.job);
      for (String job : old) {
        String cleanup = job.replace("-train-", "-clean-");
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName(cleanup).get()).as(cleanup).isNotNull();
        var config = client.configMaps().inNamespace(ns).withName(cleanup).get();
        assertThat(config).as("config of " + cleanup).isNotNull();
        var settings = JobConfigs.parse(config.getData().get("clean.yaml")).artifactCleanup();
        assertThat(settings.root()).isEqualTo("/artifacts");
        assertThat(settings.paths()).containsExactly(artifacts.get(job), ArtifactLayout.checkpointOf(artifacts.get(job)));
      }
      // the old versions' novelty tables went too, once the new table served: Jobs, config, directory
      String serving = model().getStatus().noveltyTable;
      assertThat(serving).isNotNull();
      for (String table : oldTables) {
        String version = table.substring(table.lastIndexOf("-novelty-") + "-novelty-".length());
        assertThat(serving).doesNotContain(version);
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("trained-precompute-" + version).get()).isNull();
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("trained-merge-" + version).get()).isNull();
        assertThat(client.configMaps().inNamespace(ns).withName(table).get()).as(table).isNull();
        var config = client.configMaps().inNamespace(ns).withName("trained-cleanup-" + version).get();
        assertThat(config).as("cleanup of table " + version).isNotNull();
        assertThat(JobConfigs.parse(config.getData().get("clean.yaml")).artifactCleanup().paths())
            .startsWith("/artifacts/novelty/trained/" + version);
      }
    });
    Job cleanup = client.batch().v1().jobs().inNamespace(ns).withName(old.get(0).replace("-train-", "-clean-")).get();
    assertThat(cleanup.getSpec().getTtlSecondsAfterFinished()).isPositive();
    assertThat(cleanup.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("job", "--config", "/etc/serendip/clean.yaml");
    assertThat(client.configMaps().inNamespace(ns).withName(cleanup.getMetadata().getName()).get().getMetadata()
        .getOwnerReferences()).extracting(o -> o.getUid()).containsExactly(cleanup.getMetadata().getUid());
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=120s", "interestmodel/trained");
  }

  @Test
  @Order(4)
  void aRecommenderTrainedHereServesItsTrainedVersion() throws Exception {
    Path file = dir.resolve("recommender.yaml");
    Files.writeString(file, RECOMMENDER);
    controlPlane.kubectl("apply", "-n", ns, "-f", file.toString());
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=180s",
        "recommendermodel/trained-recommender");
    RecommenderModel rm = client.resources(RecommenderModel.class).inNamespace(ns).withName("trained-recommender").get();
    assertThat(rm.getStatus().training.state).isEqualTo("Succeeded");
    assertThat(rm.getStatus().artifactPath).isEqualTo(rm.getStatus().training.artifactPath)
        .startsWith("/artifacts/recommenders/trained-recommender/v");
    var training = JobConfigs.parse(client.configMaps().inNamespace(ns).withName(rm.getStatus().training.job).get()
        .getData().get("train.yaml")).recommenderTraining();
    assertThat(training.output()).isEqualTo(rm.getStatus().artifactPath);
    assertThat(training.heads()).isEqualTo(2);
    assertThat(training.epochs()).isEqualTo(4);
    assertThat(RuntimeConfigs.parse(client.configMaps().inNamespace(ns).withName("trained-recommender-recommender-config")
        .get().getData().get("config.yaml")).recommender().modelDir()).isEqualTo(rm.getStatus().artifactPath);
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName(rm.getStatus().training.job).get()
        .getSpec().getPodFailurePolicy().getRules()).hasSize(2);
  }

  @Test
  @Order(5)
  void deletingTheModelDeletesItsTrainingJobsAndConfigs() {
    controlPlane.kubectl("delete", "-n", ns, "interestmodel/trained", "--wait=true", "--timeout=60s");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(trainingJobs()).isEmpty();
      assertThat(client.batch().v1().jobs().inNamespace(ns).withLabel(Labels.COMPONENT, VersionRetention.CLEANUP_COMPONENT)
          .withLabel(Labels.INSTANCE, "trained").list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(ns).withLabel(Labels.COMPONENT, InterestModelTrainingJob.COMPONENT)
          .list().getItems()).isEmpty();
    });
  }

  @Test
  @Order(6)
  void aClaimThatDoesNotExistIsAConditionNamingIt() throws Exception {
    Path file = dir.resolve("no-claim.yaml");
    Files.writeString(file, Files.readString(Crds.REPO.resolve("examples/quickstart/00-interest-cluster-set.yaml"))
        .replace("name: movielens", "name: no-claim").replace("pvc://serendip-artifacts", "pvc://missing-claim"));
    controlPlane.kubectl("apply", "-n", ns, "-f", file.toString());
    await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
      var ready = client.resources(InterestClusterSet.class).inNamespace(ns).withName("no-claim").get().getStatus()
          .conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("StorageUnavailable");
      assertThat(ready.getMessage()).contains("cannot be scheduled for its artifact volume")
          .contains("\"missing-claim\" not found");
    });
    // the cluster set that has its claim is untouched
    assertThat(client.resources(InterestClusterSet.class).inNamespace(ns).withName("movielens").get().getStatus()
        .conditions).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Ready");
          assertThat(c.getStatus()).isEqualTo("True");
        });
  }
}
