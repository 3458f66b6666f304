package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart against the real local control plane: schemas, server-side dry run, install, RBAC, helm test. */
@WithLocalControlPlane
class ChartOnControlPlaneTest {
  static LocalControlPlane controlPlane;
  static KubernetesClient client;

  @BeforeAll
  static void crds() {
    Cluster.installCrds(controlPlane);
  }

  private static List<JsonNode> renderEverything(String namespace, String watched) {
    List<String> args = new ArrayList<>(Chart.ALL_FEATURES);
    List<JsonNode> docs = new ArrayList<>(Chart.render("all", namespace, args));
    docs.addAll(Chart.render("scoped", namespace, List.of("--set", "watchNamespaces={" + watched + "}")));
    return docs;
  }

  /** Kinds whose CRDs (Prometheus Operator) this server does not have. */
  static final List<String> MONITORS = List.of("ServiceMonitor", "PodMonitor");

  @Test
  void renderedChartIsValidAgainstTheServersSchemas(@TempDir Path dir) {
    List<JsonNode> docs = renderEverything("serendip-system", "team-a");
    Path file = Cluster.write(dir, "chart.yaml", docs);
    // The monitors' CRDs (Prometheus Operator) are not on this server, so they have no schema here.
    Command.Result r = Cluster.kubeconform(controlPlane, dir.resolve("schemas"), file, docs, "ServiceMonitor",
        "PodMonitor");
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    long validated = docs.stream().filter(d -> !MONITORS.contains(d.path("kind").asText())).count();
    assertThat(r.stdout()).contains("Valid: " + validated + ", Invalid: 0, Errors: 0");
  }

  @Test
  void kubeconformRejectsAManifestThatBreaksTheSchema(@TempDir Path dir) {
    List<JsonNode> docs = Chart.render("broken", "serendip-system", List.of());
    JsonNode deployment = Manifests.ofKind(docs, "Deployment").get(0);
    ((ObjectNode) deployment.path("spec")).put("replicas", "two");
    ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
        .put("imagePullPolicyy", "Always");
    Path file = Cluster.write(dir, "broken.yaml", List.of(deployment));
    Command.Result r = Cluster.kubeconform(controlPlane, dir.resolve("schemas"), file, List.of(deployment));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stdout()).contains("replicas").contains("imagePullPolicyy");
  }

  @Test
  void renderedChartPassesServerSideDryRun(@TempDir Path dir) {
    String ns = Cluster.restrictedNamespace(controlPlane, "dry");
    String watched = controlPlane.createNamespace(client, "team");
    List<JsonNode> docs = renderEverything(ns, watched).stream()
        .filter(d -> !MONITORS.contains(d.path("kind").asText())).toList();
    Path file = Cluster.write(dir, "chart.yaml", docs);
    String out = controlPlane.kubectl("apply", "--dry-run=server", "-f", file.toString());
    assertThat(out.lines().filter(l -> l.endsWith("(server dry run)")).count()).isEqualTo(docs.size());
  }

  /**
   * helm install onto a namespace that enforces the restricted Pod Security Standard; the operator pods
   * are scheduled on the KWOK nodes (the image itself cannot run here). On KWOK the helm test Job's pod
   * is completed by the fake kubelet, so `helm test` checks the hook's wiring here; RealNodeTest runs the chart
   * and its hook's HTTP call on a real node.
   */
  @Test
  void installsOnRestrictedNamespaceWithLeastPrivilege() {
    String ns = Cluster.restrictedNamespace(controlPlane, "serendip-system");
    String release = Cluster.uniqueName("sd");
    String other = controlPlane.createNamespace(client, "apps");
    Command.helm("install", release, Chart.DIR, "-n", ns, "--wait", "--timeout", "3m")
        .against(controlPlane).timeout(Duration.ofMinutes(4)).ok();

    List<Pod> pods = client.pods().inNamespace(ns).withLabel("app.kubernetes.io/instance", release).list().getItems();
    assertThat(pods).hasSize(2);
    pods.forEach(p -> assertThat(p.getSpec().getNodeName()).startsWith("kwok-cpu-"));

    String sa = "system:serviceaccount:" + ns + ":" + release + "-serendip-operator";
    for (String[] allowed : new String[][] {
        {"create", "deployments.apps"}, {"delete", "jobs.batch"}, {"patch", "explorationexperiments.serendip.io/status"},
        {"update", "interestmodels.serendip.io"}, {"watch", "recommendermodels.serendip.io"}, {"list", "pods"},
        {"create", "events"}, {"create", "poddisruptionbudgets.policy"}, {"create", "horizontalpodautoscalers.autoscaling"},
        {"create", "configmaps"}, {"create", "services"}, {"get", "pods/log"}, {"create", "secrets"}}) {
      assertThat(Cluster.canI(controlPlane, sa, allowed[0], allowed[1], other)).as("may %s %s", allowed[0], allowed[1]).isTrue();
    }
    // a group whose CRD is not installed: kubectl cannot resolve it, the API server's review can
    for (String verb : List.of("get", "create", "delete")) {
      assertThat(Cluster.reviewAccess(client, sa, verb, "kubeflow.org", "pytorchjobs", other))
          .as("may %s pytorchjobs.kubeflow.org", verb).isTrue();
    }
    assertThat(Cluster.reviewAccess(client, sa, "update", "kubeflow.org", "pytorchjobs", other)).isFalse();
    for (String verb : List.of("get", "create", "patch", "delete")) {
      assertThat(Cluster.reviewAccess(client, sa, verb, "gateway.networking.k8s.io", "httproutes", other))
          .as("may %s httproutes.gateway.networking.k8s.io", verb).isTrue();
    }
    assertThat(Cluster.canI(controlPlane, sa, "update", "leases.coordination.k8s.io", ns)).isTrue();
    for (String[] denied : new String[][] {
        {"get", "secrets"}, {"list", "secrets"}, {"update", "secrets"}, {"create", "pods"}, {"delete", "pods"}, {"create", "explorationexperiments.serendip.io"},
        {"delete", "recommendermodels.serendip.io"}, {"update", "leases.coordination.k8s.io"}, {"create", "rolebindings.rbac.authorization.k8s.io"},
        {"*", "*"}}) {
      assertThat(Cluster.canI(controlPlane, sa, denied[0], denied[1], other)).as("must not %s %s", denied[0], denied[1]).isFalse();
    }
    assertThat(Cluster.canI(controlPlane, sa, "list", "nodes", null)).isFalse();
    assertThat(Cluster.canI(controlPlane, sa, "create", "customresourcedefinitions.apiextensions.k8s.io", null)).isFalse();

    String test = Command.helm("test", release, "-n", ns, "--timeout", "3m")
        .against(controlPlane).timeout(Duration.ofMinutes(4)).ok();
    assertThat(test).contains("Phase:          Succeeded");
  }

  @Test
  void watchNamespacesGrantsNothingOutsideThem() {
    String ns = Cluster.restrictedNamespace(controlPlane, "serendip-scoped");
    String watched = controlPlane.createNamespace(client, "watched");
    String unwatched = controlPlane.createNamespace(client, "unwatched");
    String release = Cluster.uniqueName("sc");
    Command.helm("install", release, Chart.DIR, "-n", ns, "--set", "watchNamespaces={" + watched + "}",
        "--set", "replicaCount=1", "--wait", "--timeout", "3m")
        .against(controlPlane).timeout(Duration.ofMinutes(4)).ok();
    String sa = "system:serviceaccount:" + ns + ":" + release + "-serendip-operator";
    assertThat(Cluster.canI(controlPlane, sa, "create", "deployments.apps", watched)).isTrue();
    assertThat(Cluster.canI(controlPlane, sa, "list", "explorationexperiments.serendip.io", watched)).isTrue();
    assertThat(Cluster.canI(controlPlane, sa, "create", "deployments.apps", unwatched)).isFalse();
    assertThat(Cluster.canI(controlPlane, sa, "list", "explorationexperiments.serendip.io", unwatched)).isFalse();
    assertThat(Cluster.canI(controlPlane, sa, "list", "explorationexperiments.serendip.io", null)).isFalse();
    assertThat(Cluster.canI(controlPlane, sa, "update", "leases.coordination.k8s.io", ns)).isTrue();
  }
}
