package io.serendip.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.config.ArmSettings;
import io.serendip.config.RuntimeConfigs;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.support.Conditions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rollouts driven by real router-stats JSON over HTTP, manual promote/abort, references that appear
 * later, config-driven pod rolls and the optional HPA, all against the local control plane.
 */
@WithLocalControlPlane
class RolloutAndReferencesTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String ns;
  static HttpServer stats;
  static final AtomicReference<String> HEALTHY = new AtomicReference<>(statsJson(3, 2, 400, 100));
  static final AtomicReference<String> BREACHING = new AtomicReference<>(statsJson(3, 200, 400, 100));

  @BeforeAll
  static void setUp() throws IOException {
    Crds.install(client);
    ns = controlPlane.createNamespace(client, "rollout");
    InProcessOperator.running(client);
    stats = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stats.createContext("/healthy/v1/stats", ex -> reply(ex, HEALTHY.get()));
    stats.createContext("/breaching/v1/stats", ex -> reply(ex, BREACHING.get()));
    stats.start();
    controlPlane.kubectl("apply", "-n", ns, "-f", Crds.REPO.resolve("examples/quickstart/00-artifacts-volume.yaml").toString(),
        "-f", Crds.REPO.resolve("examples/quickstart/00-interest-cluster-set.yaml").toString(),
        "-f", Crds.REPO.resolve("examples/quickstart/10-interest-model.yaml").toString(),
        "-f", Crds.REPO.resolve("examples/quickstart/20-recommender-model.yaml").toString());
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=240s", "recommendermodels", "--all");
  }

  @AfterAll
  static void tearDown() {
    if (stats != null) {
      stats.stop(0);
    }
  }

  @Test
  void healthyGuardrailsLetTheRolloutComplete() {
    apply(experiment("healthy", "/healthy/v1/stats", "2s"));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var xp = get("healthy");
      assertThat(xp.getStatus().phase).isEqualTo("Completed");
      assertThat(xp.getStatus().weights).isEqualTo("control=50,explore=50");
      assertThat(xp.getStatus().metricsReadAt).isNotNull();
      assertThat(xp.getStatus().arms.get(1).metrics.errorRate).isEqualTo("0.0020");
      // the same positive-feedback rate in both arms: no lift either way
      assertThat(xp.getStatus().arms.get(1).analysis.decision).isEqualTo("Inconclusive");
      assertThat(xp.getStatus().arms.get(1).analysis.lift).isEqualTo("+0.0000");
      assertThat(xp.getStatus().arms.get(1).counts.requests).isEqualTo(1000L);
      assertThat(xp.getStatus().arms.get(0).analysis).as("control is what the others are compared with").isNull();
      assertThat(Conditions.find(xp.getStatus().conditions, "SampleRatioMismatch").orElseThrow().getMessage())
          .contains("needs RouterStats from every router replica");
    });
    assertThat(routerWeights("healthy")).containsExactly(5000, 5000);
  }

  @Test
  void breachedGuardrailAbortsToControlAndMarksDegraded() {
    apply(experiment("breaching", "/breaching/v1/stats", "2s"));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var xp = get("breaching");
      assertThat(xp.getStatus().phase).isEqualTo("Aborted");
      assertThat(xp.getStatus().abortReason).contains("arm explore error rate");
      assertThat(xp.getStatus().arms.get(1).analysis.decision).isEqualTo("Harmful");
      assertThat(Conditions.isTrue(xp.getStatus().conditions, "Degraded")).isTrue();
      assertThat(Conditions.isTrue(xp.getStatus().conditions, "Ready")).isFalse();
      assertThat(routerWeights("breaching")).containsExactly(10000, 0);
    });
  }

  @Test
  void manualPromoteAndAbortThroughTheSpec() {
    ExplorationExperiment xp = experiment("manual", "/healthy/v1/stats", null); // untimed pause: waits
    apply(xp);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get("manual").getStatus().phase).isEqualTo("Paused");
      assertThat(routerWeights("manual")).containsExactly(7500, 2500);
    });
    mergePatch(ExplorationExperiment.class, "manual", "{\"spec\":{\"action\":\"Promote\"}}");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get("manual").getStatus().phase).isEqualTo("Promoted");
      assertThat(routerWeights("manual")).containsExactly(5000, 5000);
    });
    mergePatch(ExplorationExperiment.class, "manual", "{\"spec\":{\"action\":\"Abort\"}}");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get("manual").getStatus().phase).isEqualTo("Aborted");
      assertThat(routerWeights("manual")).containsExactly(10000, 0);
    });
  }

  @Test
  void aTreatmentArmsServerRunsItsShareOfReplicasWhileTheRolloutRamps() {
    controlPlane.kubectlWithInput("""
        apiVersion: serendip.io/v1alpha1
        kind: RecommenderModel
        metadata:
          name: capacity-v2
        spec:
          clusterSetRef: movielens
          interestModelRef: novelty-v1
          artifact:
            path: /artifacts/recommender/v1
          replicas: 4
        ---
        apiVersion: serendip.io/v1alpha1
        kind: ExplorationExperiment
        metadata:
          name: ramp
        spec:
          arms:
            - {name: control, control: true, weight: 50, recommenderRef: sasrec-v1, explorationShare: 0.0}
            - {name: explore, weight: 50, recommenderRef: capacity-v2, explorationShare: 0.2}
          assignment: {salt: s1}
          rollout:
            steps:
              - setWeight: 50
              - pause: {}
              - setWeight: 100
          router: {replicas: 1}
        """, "apply", "-n", ns, "-f", "-").requireSuccess();
    // explore has a quarter of all traffic, half of its final 50%: half of the model's 4 replicas
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(get("ramp").getStatus().phase).isEqualTo("Paused");
      assertThat(get("ramp").getStatus().weights).isEqualTo("control=75,explore=25");
      assertThat(serverReplicas("capacity-v2")).isEqualTo(2);
      assertThat(client.resources(RecommenderModel.class).inNamespace(ns).withName("capacity-v2").get().getStatus()
          .trafficShare).isEqualTo("0.5000");
    });
    assertThat(serverReplicas("sasrec-v1")).as("control keeps its capacity").isEqualTo(2);
    mergePatch(ExplorationExperiment.class, "ramp", "{\"spec\":{\"action\":\"Promote\"}}");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(serverReplicas("capacity-v2")).isEqualTo(4);
      assertThat(client.resources(RecommenderModel.class).inNamespace(ns).withName("capacity-v2").get().getStatus()
          .trafficShare).isNull();
    });
    mergePatch(ExplorationExperiment.class, "ramp", "{\"spec\":{\"action\":\"Abort\"}}");
    // no traffic: one warm pod, so a retry finds the arm ready
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(serverReplicas("capacity-v2")).isEqualTo(1));
  }

  private static Integer serverReplicas(String model) {
    var d = client.apps().deployments().inNamespace(ns).withName(model + "-recommender").get();
    return d == null ? null : d.getSpec().getReplicas();
  }

  @Test
  void missingReferenceIsAConditionUntilTheReferencedObjectAppears() {
    controlPlane.kubectlWithInput("""
        apiVersion: serendip.io/v1alpha1
        kind: RecommenderModel
        metadata:
          name: waits-for-model
        spec:
          clusterSetRef: movielens
          interestModelRef: arrives-later
          artifact:
            path: /artifacts/recommender/v1
        """, "apply", "-n", ns, "-f", "-").requireSuccess();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var rm = client.resources(RecommenderModel.class).inNamespace(ns).withName("waits-for-model").get();
      assertThat(rm.getStatus()).isNotNull();
      assertThat(Conditions.find(rm.getStatus().conditions, "ReferencesReady")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("ReferenceNotFound");
        assertThat(c.getMessage()).isEqualTo("InterestModel arrives-later does not exist");
      });
    });
    assertThat(client.apps().deployments().inNamespace(ns).withName("waits-for-model-recommender").get()).isNull();
    controlPlane.kubectlWithInput("""
        apiVersion: serendip.io/v1alpha1
        kind: InterestModel
        metadata:
          name: arrives-later
        spec:
          clusterSetRef: movielens
          artifact:
            path: /artifacts/interest-model/v1
        """, "apply", "-n", ns, "-f", "-").requireSuccess();
    // the InterestModel's status change alone re-reconciles its referrer (secondary-to-primary mapping)
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=120s", "recommendermodel/waits-for-model");
  }

  @Test
  void configChangeRollsThePodsAndAutoscalingAddsAndRemovesTheHpa() {
    String before = configHash();
    mergePatch(RecommenderModel.class, "sasrec-v1", "{\"spec\":{\"maxHistory\":50}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> !configHash().equals(before));
    assertThat(RuntimeConfigs.parse(client.configMaps().inNamespace(ns).withName("sasrec-v1-recommender-config").get()
        .getData().get("config.yaml")).server().maxHistory()).isEqualTo(50);

    mergePatch(RecommenderModel.class, "sasrec-v1", "{\"spec\":{\"autoscaling\":{\"minReplicas\":2,\"maxReplicas\":4}}}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("sasrec-v1-recommender").get();
      assertThat(hpa).isNotNull();
      assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
    });
    mergePatch(RecommenderModel.class, "sasrec-v1", "{\"spec\":{\"autoscaling\":null}}");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("sasrec-v1-recommender").get() == null);
  }

  @Test
  void scaleSubresourceScalesTheServers() {
    controlPlane.kubectlWithInput("""
        apiVersion: serendip.io/v1alpha1
        kind: RecommenderModel
        metadata:
          name: scaled
        spec:
          clusterSetRef: movielens
          interestModelRef: novelty-v1
          artifact:
            path: /artifacts/recommender/v1
        """, "apply", "-n", ns, "-f", "-").requireSuccess();
    controlPlane.kubectl("wait", "-n", ns, "--for=condition=Ready", "--timeout=60s", "recommendermodel/scaled");
    controlPlane.kubectl("scale", "-n", ns, "recommendermodel/scaled", "--replicas=3");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client.apps().deployments().inNamespace(ns).withName("scaled-recommender").get()
          .getSpec().getReplicas()).isEqualTo(3);
      var status = client.resources(RecommenderModel.class).inNamespace(ns).withName("scaled").get().getStatus();
      assertThat(status.replicas).isEqualTo(3);
      assertThat(status.selector)
          .isEqualTo("app.kubernetes.io/component=recommender,app.kubernetes.io/instance=scaled,app.kubernetes.io/name=serendip");
    });
    assertThat(controlPlane.kubectl("get", "-n", ns, "recommendermodel/scaled", "--subresource=scale",
        "-o", "jsonpath={.status.selector}")).contains("app.kubernetes.io/instance=scaled");
  }

  /** A JSON merge patch: no resourceVersion, so it never conflicts with the operator's status writes. */
  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void mergePatch(Class<T> type, String name, String json) {
    client.resources(type).inNamespace(ns).withName(name)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), json);
  }

  private static String configHash() {
    return client.apps().deployments().inNamespace(ns).withName("sasrec-v1-recommender").get()
        .getSpec().getTemplate().getMetadata().getAnnotations().get("serendip.io/config-hash");
  }

  private static ExplorationExperiment experiment(String name, String statsPath, String pause) {
    ExplorationExperiment xp = client.getKubernetesSerialization().unmarshal("""
        apiVersion: serendip.io/v1alpha1
        kind: ExplorationExperiment
        metadata:
          name: %s
        spec:
          arms:
            - {name: control, control: true, weight: 50, recommenderRef: sasrec-v1, explorationShare: 0.0}
            - {name: explore, weight: 50, recommenderRef: sasrec-v1, explorationShare: 0.2}
          assignment: {salt: s1}
          rollout:
            steps:
              - setWeight: 50
              - pause: %s
              - setWeight: 100
          guardrails:
            metrics: {type: RouterStats, statsUrl: "http://127.0.0.1:%d%s"}
            minSamples: 100
            interval: 1s
          router: {replicas: 1}
        """.formatted(name, pause == null ? "{}" : "{duration: " + pause + "}", stats.getAddress().getPort(), statsPath),
        ExplorationExperiment.class);
    return xp;
  }

  private static void apply(ExplorationExperiment xp) {
    client.resource(xp).inNamespace(ns).create();
  }

  /** The experiment, asserting it already has a status (so awaits retry until it does). */
  private static ExplorationExperiment get(String name) {
    var xp = client.resources(ExplorationExperiment.class).inNamespace(ns).withName(name).get();
    assertThat(xp.getStatus()).as("status of %s", name).isNotNull();
    return xp;
  }

  private static List<Integer> routerWeights(String experiment) {
    var cm = client.configMaps().inNamespace(ns).withName(experiment + "-router-config").get();
    return cm == null ? List.of() : RuntimeConfigs.parse(cm.getData().get("config.yaml")).router().arms().stream()
        .map(ArmSettings::weightBasisPoints).toList();
  }

  /** Router stats with the given control/explore errors per 1000 requests and positive feedback. */
  static String statsJson(int controlErrors, int exploreErrors, int controlPositive, int exploredPositive) {
    return """
        {"experiment":"x","startedAt":"2026-11-22T21:00:00Z","arms":{
          "control":{"requests":1000,"errors":%d,"fallbacks":0,"impressions":4000,"explorationImpressions":0,
                     "positiveFeedback":%d,"exploredPositiveFeedback":0,"exploredNovel":0},
          "explore":{"requests":1000,"errors":%d,"fallbacks":0,"impressions":4000,"explorationImpressions":800,
                     "positiveFeedback":%d,"exploredPositiveFeedback":%d,"exploredNovel":700}}}"""
        .formatted(controlErrors, controlPositive, exploreErrors, controlPositive, exploredPositive);
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
