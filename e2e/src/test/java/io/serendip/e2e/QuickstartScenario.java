package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.api.TrainingStatus;
import io.serendip.operator.support.Labels;
import io.serendip.operator.workload.PodTemplates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * examples/quickstart fully in-cluster, as a user runs it: the chart installed with Helm into a namespace enforcing
 * the restricted Pod Security Standard, the operator and every pipeline Job and server running Serendip's images on
 * the node. The node has no GPU, so the two models are applied with {@code gpus: 0}. Both models are trained by the
 * operator's training Jobs ({@code spec.training}) on the clusters the InterestClusterSet built, with no step on
 * the host; the interest model's gate numbers reach its status. Real MovieLens-100K histories then go through the
 * router; deleting the four resources leaves nothing behind. Run on a k3s node ({@link K3sInClusterTest}) and on the local control plane's real node
 * ({@link QuickstartOnRealNodeTest}).
 */
final class QuickstartScenario {
  static final String NS = "quickstart";
  static final String SYSTEM_NS = "serendip-system";
  static final String RELEASE = "serendip";
  private static final Path QUICKSTART = Command.repo().resolve("examples/quickstart");
  static final Path MOVIELENS =
      Path.of(System.getProperty("serendip.shared.dir", "../shared")).resolve("datasets/ml-100k");
  private static final int USERS = 300;

  private QuickstartScenario() {}

  static void run(QuickstartNode node, Path dir) throws Exception {
    assertThat(MOVIELENS.resolve("u.data")).as("MovieLens-100K for the quickstart's catalog").exists();
    try (KubernetesClient client = node.client()) {
      try {
        installOperator(node, client);
        buildClusters(node, client, dir);
        applyModelsAndExperiment(node, dir);
        node.kubectl("wait", "-n", NS, "--for=condition=Ready", "ics,im,rm,xp", "--all", "--timeout=20m")
            .timeout(Duration.ofMinutes(21)).ok();
        trainedHere(node, client);
        recommendThroughTheRouter(client);
        deleteAndCheckCleanup(node, client);
      } catch (AssertionError | RuntimeException e) {
        System.out.println(node.describe(NS, SYSTEM_NS));
        throw e;
      }
    }
  }

  /** The chart's image tags default to its appVersion, which must be the project version Jib tags with. */
  static String chartAppVersion() {
    return Manifests.parse(Command.repo().resolve(Chart.DIR).resolve("Chart.yaml")).get(0).path("appVersion").asText();
  }

  private static void installOperator(QuickstartNode node, KubernetesClient client) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(SYSTEM_NS)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
    node.helm("install", RELEASE, Chart.DIR, "-n", SYSTEM_NS, "--set", "replicaCount=1", "--wait", "--timeout", "5m")
        .args(node.chartValues()).timeout(Duration.ofMinutes(6)).ok();
  }

  /** The dataset goes where the cluster set's storage shows it as catalog.path; the build Job runs. */
  private static InterestClusterSet buildClusters(QuickstartNode node, KubernetesClient client, Path dir) {
    JsonNode doc = onNode(node, Manifests.parse(QUICKSTART.resolve("00-interest-cluster-set.yaml")).get(0));
    JsonNode spec = doc.path("spec");
    String catalog = spec.at("/catalog/path").asText();
    assertThat(catalog).startsWith(PodTemplates.ARTIFACTS_DIR + "/");
    node.provideStorage(spec.at("/storage/hostPath").asText(), MOVIELENS,
        catalog.substring(PodTemplates.ARTIFACTS_DIR.length() + 1));

    node.kubectl("apply", "-n", NS, "-f", Cluster.write(dir, "quickstart-clusters.yaml", List.of(doc)).toString()).ok();
    String name = doc.at("/metadata/name").asText();
    node.kubectl("wait", "-n", NS, "--for=condition=Ready", "ics/" + name, "--timeout=10m")
        .timeout(Duration.ofMinutes(11)).ok();
    InterestClusterSet cs = client.resources(InterestClusterSet.class).inNamespace(NS).withName(name).get();
    assertThat(cs.getStatus().artifactPath).as("published cluster artifact").startsWith(PodTemplates.ARTIFACTS_DIR);
    assertThat(cs.getStatus().clusters).isEqualTo(spec.at("/levels/0/clusters").asInt());
    return cs;
  }

  /** The example as this node needs it: its hostPath storage where the node keeps it. */
  private static JsonNode onNode(QuickstartNode node, JsonNode doc) {
    JsonNode storage = doc.at("/spec/storage");
    if (storage.path("hostPath").isTextual()) {
      ((ObjectNode) storage).put("hostPath", node.hostPath(storage.path("hostPath").asText()));
    }
    return doc;
  }

  /**
   * The rest of the quickstart as published, both models trained by the operator's Jobs, except that everything
   * runs on CPU (the node has no GPU) and the interest model is a small one trained from scratch
   * ({@code engine: PyTorch}) rather than the fine-tuned LLM, whose training takes longer than this scenario should
   * (hack/demo.sh runs that one); the training sizes are small, as in docs/api.md.
   */
  private static void applyModelsAndExperiment(QuickstartNode node, Path dir) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    for (String example : List.of("10-interest-model.yaml", "20-recommender-model.yaml", "30-exploration-experiment.yaml")) {
      for (JsonNode doc : Manifests.parse(QUICKSTART.resolve(example))) {
        for (String path : List.of("/spec/resources", "/spec/training/resources")) {
          JsonNode resources = doc.at(path);
          if (resources.isObject()) {
            ((ObjectNode) resources).put("gpus", 0).remove("gpuProduct");
          }
        }
        ObjectNode spec = (ObjectNode) doc.path("spec");
        if (doc.path("kind").asText().equals("InterestModel")) {
          spec.put("engine", "PyTorch");
          spec.putObject("training").put("method", "FromScratch").put("hidden", 32).put("layers", 1).put("epochs", 6);
        }
        if (doc.path("kind").asText().equals("RecommenderModel")) {
          ((ObjectNode) spec.path("training")).put("hidden", 32).put("layers", 1).put("epochs", 4);
        }
        if (spec.path("training").isObject()) {
          ((ObjectNode) spec.path("training")).putObject("resources").put("gpus", 0).put("cpu", "1").put("memory", "3Gi");
        }
        docs.add(onNode(node, doc));
      }
    }
    Path file = Cluster.write(dir, "quickstart-on-cpu.yaml", docs);
    node.kubectl("apply", "-n", NS, "-f", file.toString()).ok();
  }

  /** Both models were trained by the operator's Jobs; the interest model's gate numbers are in its status. */
  private static void trainedHere(QuickstartNode node, KubernetesClient client) {
    InterestModel im = client.resources(InterestModel.class).inNamespace(NS).list().getItems().get(0);
    assertThat(im.getStatus().training.state).isEqualTo("Succeeded");
    assertThat(im.getStatus().artifactPath).isEqualTo(im.getStatus().training.artifactPath);
    TrainingStatus.GateNumbers gates = im.getStatus().training.gates;
    assertThat(gates).as("gate numbers from the training pod's termination message").isNotNull();
    assertThat(gates.passed).isTrue();
    assertThat(gates.exactMatchRate).isGreaterThanOrEqualTo(0.9);
    assertThat(gates.validRate).isEqualTo(1.0);
    assertThat(gates.cases).isPositive();
    assertThat(gates.baselineRecall).isNotNull();
    // kubectl prints the JSON number as written: 1.0 becomes "1", 0.8355 stays "0.8355".
    assertThat(node.kubectl("get", "im", "-n", NS).ok()).contains(
        new java.math.BigDecimal(Double.toString(gates.recall)).stripTrailingZeros().toPlainString());
    RecommenderModel rm = client.resources(RecommenderModel.class).inNamespace(NS).list().getItems().get(0);
    assertThat(rm.getStatus().training.state).isEqualTo("Succeeded");
    assertThat(rm.getStatus().artifactPath).isEqualTo(rm.getStatus().training.artifactPath);
  }

  /**
   * Real MovieLens histories through the router Service (port-forwarded by the API server): every
   * user gets a full slate from their arm; the explore arm's slates hold explored items of novel
   * clusters with their keyword descriptions, control's none.
   */
  private static void recommendThroughTheRouter(KubernetesClient client) throws Exception {
    String experiment = Manifests.parse(QUICKSTART.resolve("30-exploration-experiment.yaml")).get(0)
        .at("/metadata/name").asText();
    Map<String, List<String>> histories = recentPositives(USERS, 5);
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Integer> served = new TreeMap<>();
    try (LocalPortForward router = client.services().inNamespace(NS).withName(experiment + "-router").portForward(8080)) {
      URI base = URI.create("http://localhost:" + router.getLocalPort());
      for (var user : histories.entrySet()) {
        ObjectNode body = Manifests.JSON.createObjectNode().put("user", "u" + user.getKey()).put("k", 10);
        user.getValue().forEach(body.putArray("history")::add);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/recommend"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("user %s: %s", user.getKey(), r.body()).isEqualTo(200);
        JsonNode answer = Manifests.JSON.readTree(r.body());
        String arm = answer.path("arm").asText();
        served.merge(arm, 1, Integer::sum);
        assertThat(answer.path("items")).as(r.body()).hasSize(10);
        List<JsonNode> explored = new ArrayList<>();
        answer.path("items").forEach(i -> {
          if (i.path("explored").asBoolean()) {
            explored.add(i);
          }
        });
        if (arm.equals("explore")) {
          assertThat(explored).as("explored items for %s: %s", user.getKey(), r.body()).isNotEmpty();
          explored.forEach(i -> assertThat(i.at("/cluster/description").asText()).as(r.body()).isNotBlank());
        } else {
          assertThat(arm).as(r.body()).isEqualTo("control");
          assertThat(explored).as(r.body()).isEmpty();
        }
      }
      assertThat(served).as("users per serving arm").containsKeys("control", "explore");
      JsonNode stats = Manifests.JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/v1/stats")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(stats.at("/arms/control/requests").asLong() + stats.at("/arms/explore/requests").asLong())
          .as("router stats: %s", stats).isEqualTo(USERS);
    }
  }

  /** The last n items each of the first users rated 4 or 5 (u.data: user, item, rating, time). */
  private static Map<String, List<String>> recentPositives(int users, int n) throws IOException {
    Map<Integer, List<String[]>> byUser = new TreeMap<>();
    for (String line : Files.readAllLines(MOVIELENS.resolve("u.data"))) {
      String[] f = line.split("\t");
      if (Integer.parseInt(f[2]) >= 4 && Integer.parseInt(f[0]) <= users) {
        byUser.computeIfAbsent(Integer.parseInt(f[0]), u -> new ArrayList<>()).add(f);
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    byUser.forEach((user, rows) -> {
      rows.sort((a, b) -> Long.compare(Long.parseLong(a[3]), Long.parseLong(b[3])));
      out.put(user.toString(), rows.subList(Math.max(0, rows.size() - n), rows.size()).stream().map(r -> r[1]).toList());
    });
    assertThat(out).hasSize(users);
    return out;
  }

  /** Deleting the four resources leaves nothing the operator created: owner references and the GC do it. */
  private static void deleteAndCheckCleanup(QuickstartNode node, KubernetesClient client) {
    node.kubectl("delete", "-n", NS, "xp,rm,im,ics", "--all", "--wait=true", "--timeout=5m")
        .timeout(Duration.ofMinutes(6)).ok();
    String managed = Labels.MANAGED_BY + "=" + Labels.MANAGER;
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(client.apps().deployments().inNamespace(NS).withLabelSelector(managed).list().getItems()).isEmpty();
      assertThat(client.services().inNamespace(NS).withLabelSelector(managed).list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace(NS).withLabelSelector(managed).list().getItems()).isEmpty();
      assertThat(client.batch().v1().jobs().inNamespace(NS).withLabelSelector(managed).list().getItems()).isEmpty();
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withLabelSelector(managed).list().getItems())
          .isEmpty();
      assertThat(client.pods().inNamespace(NS).withLabel(Labels.NAME, "serendip").list().getItems()).isEmpty();
    });
  }
}
