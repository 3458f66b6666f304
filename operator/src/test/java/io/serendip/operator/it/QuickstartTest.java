package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.config.ArmSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.JobConfigValidator;
import io.serendip.config.JobConfigs;
import io.serendip.config.RuntimeConfigs;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.support.Conditions;
import io.serendip.operator.support.ContentHash;
import io.serendip.operator.support.Labels;
import io.serendip.operator.support.RuntimeImage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/quickstart applied with kubectl to the real local control plane, reconciled by the operator
 * running in this JVM: every managed object is created, GPU pods land on GPU nodes, all four kinds
 * become Ready, an unchanged object is never rewritten, GPU shortage is reported, and deleting the
 * experiment garbage-collects what it created.
 */
@WithLocalControlPlane
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String ns;
  static InProcessOperator operator;

  @BeforeAll
  static void setUp() throws IOException {
    Crds.install(client);
    ns = controlPlane.createNamespace(client, "quickstart");
    operator = InProcessOperator.running(client);
  }

  @Test
  @Order(1)
  void quickstartBecomesReady() {
    controlPlane.kubectl("apply", "-n", ns, "-f", Crds.REPO.resolve("examples/quickstart").toString());
    assertThat(controlPlane.kubectl("explain", "explorationexperiment.spec.arms.weight"))
        .contains("Final traffic weight in percent");
    // the commands of docs/operator.md, verbatim
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "ics,im,rm,xp", "--all", "--timeout=240s");
    assertThat(controlPlane.kubectl("get", "serendip", "-n", ns))
        .contains("interestclusterset.serendip.io/movielens", "interestmodel.serendip.io/novelty-v1",
            "recommendermodel.serendip.io/sasrec-v1", "explorationexperiment.serendip.io/quickstart");
    var xp = client.resources(ExplorationExperiment.class).inNamespace(ns).withName("quickstart").get();
    assertThat(xp.getStatus().phase).isEqualTo("Progressing");
    assertThat(xp.getStatus().currentStep).isEqualTo(1); // setWeight 20 applied, waiting in the 10m pause
    assertThat(xp.getStatus().weights).isEqualTo("control=90,explore=10");
    assertThat(xp.getStatus().arms).allSatisfy(a -> assertThat(a.ready).isTrue());
    // no router process runs on KWOK nodes, so the guardrails hold the rollout and say why
    assertThat(Conditions.find(xp.getStatus().conditions, "MetricsAvailable")).hasValueSatisfying(c ->
        assertThat(c.getStatus()).isEqualTo("False"));
  }

  @Test
  @Order(2)
  void everyManagedObjectExistsWithTheRightShape() {
    List<ConfigMap> configMaps = client.configMaps().inNamespace(ns).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
        .list().getItems();
    assertThat(names(configMaps.stream().filter(c -> !Boolean.TRUE.equals(c.getImmutable())).toList()))
        .containsExactlyInAnyOrder("novelty-v1-interest-model-config", "sasrec-v1-recommender-config",
            "quickstart-router-config");
    // each Job version's typed config: immutable, named like the Job, and valid as the job reads it
    List<ConfigMap> jobConfigs = configMaps.stream().filter(c -> Boolean.TRUE.equals(c.getImmutable())).toList();
    assertThat(names(jobConfigs)).hasSize(4).anyMatch(n -> n.matches("movielens-build-v[0-9a-f]+"))
        .anyMatch(n -> n.matches("novelty-v1-train-v[0-9a-f]+")).anyMatch(n -> n.matches("sasrec-v1-train-v[0-9a-f]+"))
        .anyMatch(n -> n.matches("novelty-v1-novelty-v[0-9a-f]+"));
    for (ConfigMap c : jobConfigs) {
      c.getData().values().forEach(yaml -> assertThat(JobConfigValidator.validate(JobConfigs.parse(yaml))).isEmpty());
    }
    assertThat(names(client.apps().deployments().inNamespace(ns).list().getItems()))
        .containsExactlyInAnyOrder("novelty-v1-interest-model", "sasrec-v1-recommender", "quickstart-router");
    assertThat(names(client.services().inNamespace(ns).list().getItems()))
        .containsExactlyInAnyOrder("novelty-v1-interest-model", "sasrec-v1-recommender", "quickstart-router");
    assertThat(names(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems()))
        .containsExactlyInAnyOrder("novelty-v1-interest-model", "sasrec-v1-recommender", "quickstart-router");
    List<Job> jobs = client.batch().v1().jobs().inNamespace(ns).list().getItems();
    assertThat(jobs).extracting(j -> j.getMetadata().getLabels().get(Labels.COMPONENT))
        .containsExactlyInAnyOrder("cluster-build", "interest-model-training", "recommender-training",
            "novelty-precompute", "novelty-merge");
    Job precompute = jobs.stream().filter(j -> j.getMetadata().getName().contains("-precompute-")).findFirst().orElseThrow();
    assertThat(precompute.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(precompute.getSpec().getCompletions()).isEqualTo(4);
    assertThat(precompute.getSpec().getParallelism()).isEqualTo(2);
    // The fine-tuned LLM's pods (its training and the precompute) and the GPU training of the recommender run the
    // image that carries the LLM component and the CUDA binding; the cluster build and merge, the runtime image.
    for (Job job : jobs) {
      String image = job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
      String component = job.getMetadata().getLabels().get(Labels.COMPONENT);
      assertThat(image).as(job.getMetadata().getName()).isEqualTo(
          component.equals("cluster-build") || component.equals("novelty-merge") ? RuntimeImage.get() : RuntimeImage.cuda());
    }
    // both models were trained by the operator's Jobs and serve the trained versions
    var trained = client.resources(InterestModel.class).inNamespace(ns).withName("novelty-v1").get();
    assertThat(trained.getStatus().training.state).isEqualTo("Succeeded");
    assertThat(trained.getStatus().artifactPath).isEqualTo(trained.getStatus().training.artifactPath);

    // each Deployment runs the right subcommand; model servers carry the hash of their ConfigMap (a change
    // rolls them), the router does not (it reloads its weights in place) and its config carries a revision
    for (var d : client.apps().deployments().inNamespace(ns).list().getItems()) {
      String component = d.getMetadata().getLabels().get(Labels.COMPONENT);
      var template = d.getSpec().getTemplate();
      assertThat(template.getSpec().getContainers().get(0).getArgs()).startsWith(component, "--config");
      ConfigMap cm = client.configMaps().inNamespace(ns).withName(d.getMetadata().getName() + "-config").get();
      if (component.equals("router")) {
        assertThat(template.getMetadata().getAnnotations()).doesNotContainKey("serendip.io/config-hash");
        assertThat(RuntimeConfigs.parse(cm.getData().get("config.yaml")).router().revision()).isNotBlank();
        // the replicas' shared request-id key: a Secret beside the config, and each pod's address for the others
        assertThat(RuntimeConfigs.parse(cm.getData().get("config.yaml")).router().feedback().keyFile())
            .isEqualTo("/etc/serendip/feedback-key");
        var sources = template.getSpec().getVolumes().stream().filter(v -> v.getName().equals("config"))
            .findFirst().orElseThrow().getProjected().getSources();
        assertThat(sources).extracting(s -> s.getConfigMap() != null ? s.getConfigMap().getName()
                : s.getSecret().getName())
            .containsExactly("quickstart-router-config", "quickstart-router-feedback-key");
        assertThat(template.getSpec().getContainers().get(0).getEnv())
            .filteredOn(e -> e.getName().equals("SERENDIP_POD_IP")).singleElement()
            .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP"));
        var key = client.secrets().inNamespace(ns).withName("quickstart-router-feedback-key").get();
        assertThat(java.util.Base64.getDecoder().decode(key.getData().get("feedback-key"))).hasSize(32);
        assertThat(key.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getName()).isEqualTo("quickstart"));
      } else {
        assertThat(template.getMetadata().getAnnotations())
            .containsEntry("serendip.io/config-hash", ContentHash.of(cm.getData().get("config.yaml")));
      }
    }
    // The router config says what the status says: weights in basis points and arm readiness. (On this
    // local control plane pods can turn unready later, when KWOK nodes are marked NotReady; the
    // operator then moves traffic to control, so compare the two rather than fixed values.)
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      RuntimeConfig router = RuntimeConfigs.parse(
          client.configMaps().inNamespace(ns).withName("quickstart-router-config").get().getData().get("config.yaml"));
      var status = client.resources(ExplorationExperiment.class).inNamespace(ns).withName("quickstart").get().getStatus();
      assertThat(router.router().arms()).extracting(ArmSettings::name, a -> a.weightBasisPoints() / 100, ArmSettings::isReady)
          .containsExactlyElementsOf(status.arms.stream()
              .map(a -> org.assertj.core.groups.Tuple.tuple(a.name, a.weight, a.ready)).toList());
      assertThat(router.router().arms().get(1).backend()).isEqualTo("http://sasrec-v1-recommender." + ns + ".svc:8080");
      assertThat(router.router().salt()).isEqualTo("2026-11");
    });
    RuntimeConfig recommender = RuntimeConfigs.parse(
        client.configMaps().inNamespace(ns).withName("sasrec-v1-recommender-config").get().getData().get("config.yaml"));
    var im = client.resources(InterestModel.class).inNamespace(ns).withName("novelty-v1").get();
    assertThat(recommender.recommender().noveltyTable()).isEqualTo(im.getStatus().noveltyTable).endsWith("/novelty-table.bin");
    // The quickstart gives no maxBatchSize: the API server's default (16) reaches the runtime config.
    assertThat(recommender.recommender().maxBatchSize()).isEqualTo(16);
  }

  @Test
  @Order(3)
  void gpuPodsLandOnGpuNodesAndCpuPodsOnCpuNodes() {
    Map<String, List<String>> nodesByComponent = client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(Labels.COMPONENT),
            TreeMap::new, Collectors.mapping(p -> p.getSpec().getNodeName(), Collectors.toList())));
    // No idle GPU: the interest model has no online server by default; its GPUs went to the precompute Job,
    // whose pods ran on the H100 node.
    assertThat(nodesByComponent).doesNotContainKey("interest-model");
    assertThat(client.pods().inNamespace(ns).withLabel(Labels.COMPONENT, "novelty-precompute").list().getItems())
        .isNotEmpty().allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("kwok-gpu-0"));
    assertThat(nodesByComponent.get("recommender")).hasSize(2).allMatch(LocalControlPlane.GPU_NODES::contains);
    assertThat(nodesByComponent.get("router")).hasSize(2).allMatch(LocalControlPlane.CPU_NODES::contains);
  }

  @Test
  @Order(4)
  void reconcilingUnchangedObjectsWritesNothing() {
    // Measured only over a window in which the world outside the operator stood still: on a loaded
    // machine KWOK nodes can miss heartbeats, pods turn unready, and then writing is the right thing.
    for (int attempt = 1; attempt <= 3; attempt++) {
      await().atMost(Duration.ofSeconds(120)).until(QuickstartTest::quiet);
      Map<String, Boolean> worldBefore = podAndNodeReadiness();
      Map<String, String> before = resourceVersions();
      // two operator restarts: each reconciles every object from scratch
      for (int i = 0; i < 2; i++) {
        operator = InProcessOperator.restart(client);
        await().atMost(Duration.ofSeconds(60)).until(() -> operator.reconciliations() >= 4);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
      }
      if (!podAndNodeReadiness().equals(worldBefore)) {
        continue; // pods or nodes changed under us: measure again
      }
      assertThat(operator.reconciliations()).isGreaterThanOrEqualTo(4);
      assertThat(resourceVersions()).isEqualTo(before);
      return;
    }
    throw new AssertionError("pods or nodes kept changing readiness; no quiet window to measure in");
  }

  /** Nothing has changed for 5 seconds. */
  private static boolean quiet() throws InterruptedException {
    Map<String, String> a = resourceVersions();
    Map<String, Boolean> w = podAndNodeReadiness();
    Thread.sleep(5000);
    return a.equals(resourceVersions()) && w.equals(podAndNodeReadiness());
  }

  private static Map<String, Boolean> podAndNodeReadiness() {
    Map<String, Boolean> out = new TreeMap<>();
    client.pods().inNamespace(ns).list().getItems().forEach(p -> out.put("pod/" + p.getMetadata().getName(),
        p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))));
    client.nodes().list().getItems().forEach(n -> out.put("node/" + n.getMetadata().getName(),
        n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))));
    return out;
  }

  @Test
  @Order(5)
  void impossibleGpuRequestIsReportedAsInsufficientGpu() {
    controlPlane.kubectlWithInput("""
        apiVersion: serendip.io/v1alpha1
        kind: InterestModel
        metadata:
          name: too-big
        spec:
          clusterSetRef: movielens
          artifact:
            path: /artifacts/interest-model/v1
          resources:
            gpus: 16
        """, "apply", "-n", ns, "-f", "-").requireSuccess();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      var im = client.resources(InterestModel.class).inNamespace(ns).withName("too-big").get();
      assertThat(im.getStatus()).isNotNull();
      assertThat(Conditions.find(im.getStatus().conditions, "InsufficientGPU")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getMessage()).contains("Insufficient nvidia.com/gpu");
      });
      assertThat(Conditions.isTrue(im.getStatus().conditions, "Ready")).isFalse();
    });
    // the transition is also recorded as a Warning Event on the InterestModel
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
            .anySatisfy(e -> {
              assertThat(e.getInvolvedObject().getName()).isEqualTo("too-big");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("InsufficientGPU");
            }));
  }

  @Test
  @Order(6)
  void deletingTheExperimentRemovesEverythingItCreated() {
    client.resources(ExplorationExperiment.class).inNamespace(ns).withName("quickstart").delete();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(client.apps().deployments().inNamespace(ns).withName("quickstart-router").get()).isNull();
      assertThat(client.services().inNamespace(ns).withName("quickstart-router").get()).isNull();
      assertThat(client.configMaps().inNamespace(ns).withName("quickstart-router-config").get()).isNull();
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("quickstart-router").get()).isNull();
      assertThat(client.pods().inNamespace(ns).withLabel(Labels.COMPONENT, "router").list().getItems()).isEmpty();
      assertThat(client.secrets().inNamespace(ns).withName("quickstart-router-feedback-key").get()).isNull();
    });
    // the models it referenced are not its to delete
    assertThat(client.apps().deployments().inNamespace(ns).withName("sasrec-v1-recommender").get()).isNotNull();
  }

  /** resourceVersion of the four custom resources and of every object the operator manages. */
  private static Map<String, String> resourceVersions() {
    Stream<HasMetadata> all = Stream.of(
            client.resources(InterestClusterSet.class).inNamespace(ns).list().getItems(),
            client.resources(InterestModel.class).inNamespace(ns).list().getItems(),
            client.resources(RecommenderModel.class).inNamespace(ns).list().getItems(),
            client.resources(ExplorationExperiment.class).inNamespace(ns).list().getItems(),
            client.configMaps().inNamespace(ns).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems(),
            client.apps().deployments().inNamespace(ns).list().getItems(),
            client.services().inNamespace(ns).list().getItems(),
            client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems(),
            client.batch().v1().jobs().inNamespace(ns).list().getItems(),
            client.secrets().inNamespace(ns).withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems())
        .flatMap(List::stream)
        .map(HasMetadata.class::cast);
    return all.collect(Collectors.toMap(
        o -> o.getKind() + "/" + o.getMetadata().getName(), o -> o.getMetadata().getResourceVersion(),
        (a, b) -> a, TreeMap::new));
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(o -> o.getMetadata().getName()).toList();
  }
}
