package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.workload.TrainingJobs;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An InterestModel fine-tuned by several workers: without the PyTorchJob API a condition says what is missing and
 * nothing is created; once the API is there (the PyTorchJob CRD installed on the control plane) the operator writes
 * the PyTorchJob, which the API server checks against the CRD's schema; the Training Operator is not run, so the
 * test sets the PyTorchJob's Succeeded condition as it would, and the model goes on to precompute and Ready.
 */
@WithLocalControlPlane
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedTrainingTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String ns;
  @TempDir
  static Path dir;

  static final String MODEL = """
      apiVersion: serendip.io/v1alpha1
      kind: InterestModel
      metadata:
        name: distributed
      spec:
        clusterSetRef: movielens
        engine: Transformers
        training:
          method: FineTune
          maxExamples: 800
          workers: 3
          resources:
            gpus: 1
            cpu: "2"
            memory: 8Gi
        precompute:
          shards: 2
          parallelism: 2
        storage:
          uri: pvc://serendip-artifacts
      """;

  @BeforeAll
  static void setUp() throws Exception {
    Crds.install(client);
    ns = controlPlane.createNamespace(client, "distributed");
    InProcessOperator.running(client);
    controlPlane.kubectl("apply", "-n", ns, "-f",
        Crds.REPO.resolve("examples/quickstart/00-artifacts-volume.yaml").toString(), "-f",
        Crds.REPO.resolve("examples/quickstart/00-interest-cluster-set.yaml").toString());
    Path file = dir.resolve("model.yaml");
    Files.writeString(file, MODEL);
    controlPlane.kubectl("apply", "-n", ns, "-f", file.toString());
  }

  @AfterAll
  static void removeTheCrd() {
    client.apiextensions().v1().customResourceDefinitions().withName("pytorchjobs.kubeflow.org").delete();
  }

  static InterestModel model() {
    return client.resources(InterestModel.class).inNamespace(ns).withName("distributed").get();
  }

  static GenericKubernetesResource pyTorchJob(String name) {
    return client.genericKubernetesResources("kubeflow.org/v1", "PyTorchJob").inNamespace(ns).withName(name).get();
  }

  @Test
  @Order(1)
  void withoutThePyTorchJobApiAConditionSaysWhatIsMissing() {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      InterestModel im = model();
      assertThat(im.getStatus()).isNotNull();
      assertThat(im.getStatus().conditions).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo(TrainingJobs.TRAINED);
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("PyTorchJobUnavailable");
        assertThat(c.getMessage()).contains("workers is 3").contains("kubeflow.org/v1")
            .contains("Kubeflow Training Operator");
      });
      assertThat(im.getStatus().conditions).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo(Conditions.READY);
        assertThat(c.getStatus()).isEqualTo("False");
      });
    });
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName(model().getStatus().training.job).get()).isNull();
  }

  @Test
  @Order(2)
  void withTheApiThePyTorchJobHasAMasterAndWorkersLikeTheSinglePodJob() throws Exception {
    try (InputStream crd = getClass().getResourceAsStream("/kubeflow/pytorchjobs.kubeflow.org.yaml")) {
      Crds.apply(client, client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class));
    }
    String name = model().getStatus().training.job;
    // the operator looks again every 30 s
    await().atMost(Duration.ofSeconds(90)).until(() -> pyTorchJob(name) != null);
    GenericKubernetesResource job = pyTorchJob(name);
    assertThat(job.getMetadata().getOwnerReferences()).extracting(o -> o.getName()).containsExactly("distributed");
    Map<String, Object> spec = job.get("spec");
    Map<String, Object> runPolicy = job.get("spec", "runPolicy");
    assertThat(runPolicy).containsEntry("backoffLimit", 3).containsEntry("cleanPodPolicy", "None");
    Map<String, Map<String, Object>> replicas = job.get("spec", "pytorchReplicaSpecs");
    assertThat(replicas).containsOnlyKeys("Master", "Worker");
    assertThat(replicas.get("Master")).containsEntry("replicas", 1).containsEntry("restartPolicy", "ExitCode");
    assertThat(replicas.get("Worker")).containsEntry("replicas", 2).containsEntry("restartPolicy", "ExitCode");
    KubernetesSerialization json = client.getKubernetesSerialization();
    for (String type : List.of("Master", "Worker")) {
      PodTemplateSpec template = json.convertValue(replicas.get(type).get("template"), PodTemplateSpec.class);
      Container container = template.getSpec().getContainers().get(0);
      assertThat(container.getName()).isEqualTo("pytorch");
      assertThat(container.getPorts()).singleElement().satisfies(p -> {
        assertThat(p.getName()).isEqualTo("pytorchjob-port");
        assertThat(p.getContainerPort()).isEqualTo(23456);
      });
      assertThat(container.getArgs()).containsExactly("job", "--config", "/etc/serendip/train.yaml");
      assertThat(container.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
      assertThat(template.getSpec().getRestartPolicy()).isNull();
      assertThat(template.getSpec().getVolumes()).anySatisfy(v -> {
        assertThat(v.getConfigMap()).isNotNull();
        assertThat(v.getConfigMap().getName()).isEqualTo(name);
      });
      assertThat(template.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "distributed");
    }
    assertThat(spec).doesNotContainKey("elasticPolicy");
    assertThat(client.configMaps().inNamespace(ns).withName(name).get().getData().get("train.yaml"))
        .contains("kind: InterestModelTraining").contains("method: FineTune");
    assertThat(model().getStatus().training.state).isEqualTo("Running");
  }

  @Test
  @Order(3)
  void whenThePyTorchJobSucceedsItsArtifactIsPrecomputedAndServed() {
    String name = model().getStatus().training.job;
    GenericKubernetesResource job = pyTorchJob(name);
    job.setAdditionalProperty("status", Map.of("conditions", List.of(
        Map.of("type", "Created", "status", "True", "reason", "PyTorchJobCreated"),
        Map.of("type", "Succeeded", "status", "True", "reason", "PyTorchJobSucceeded"))));
    client.genericKubernetesResources("kubeflow.org/v1", "PyTorchJob").inNamespace(ns).resource(job).updateStatus();
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=180s", "interestmodel/distributed");
    InterestModel im = model();
    assertThat(im.getStatus().training.state).isEqualTo("Succeeded");
    assertThat(im.getStatus().artifactPath).isEqualTo(im.getStatus().training.artifactPath);
    assertThat(im.getStatus().noveltyTable).isNotNull();
  }

  @Test
  @Order(4)
  void deletingTheModelDeletesItsPyTorchJob() {
    String name = model().getStatus().training.job;
    controlPlane.kubectl("delete", "-n", ns, "interestmodel/distributed", "--wait=true", "--timeout=60s");
    await().atMost(Duration.ofSeconds(60)).until(() -> pyTorchJob(name) == null);
  }
}
