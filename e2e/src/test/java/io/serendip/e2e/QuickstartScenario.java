package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.serendip.kube.local.S3Server;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.api.TrainingStatus;
import io.serendip.operator.support.Labels;
import io.serendip.operator.workload.ObjectStorage;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

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
  /** Enough epochs of the recommender's training that one can be interrupted in the middle. */
  static final int RECOMMENDER_EPOCHS = 6;

  private QuickstartScenario() {}

  /** The quickstart as published: its artifacts on the claim of 00-artifacts-volume.yaml. */
  static void run(QuickstartNode node, Path dir) throws Exception {
    run(node, dir, null);
  }

  /**
   * The quickstart with its artifacts in a bucket of {@code s3} (which already holds MovieLens-100K at
   * {@code <S3_URI>/datasets/ml-100k}) instead of on a volume; with {@code s3} null, as published.
   */
  static void run(QuickstartNode node, Path dir, S3Server s3) throws Exception {
    assertThat(MOVIELENS.resolve("u.data")).as("MovieLens-100K for the quickstart's catalog").exists();
    try (KubernetesClient client = node.client()) {
      try {
        installOperator(node, client);
        Storage storage = s3 == null ? Storage.volume(node, client) : Storage.bucket(client, s3);
        if (s3 != null) {
          storageRefusalsAreConditions(node, client, s3, dir);
        }
        buildClusters(node, client, dir, storage);
        applyModelsAndExperiment(node, dir, storage);
        Optional<Evicted> evicted = s3 == null ? Optional.empty() : evictTrainingMidEpoch(client);
        node.kubectl("wait", "-n", NS, "--for=condition=Ready", "ics,im,rm,xp", "--all", "--timeout=20m")
            .timeout(Duration.ofMinutes(21)).ok();
        trainedHere(node, client);
        if (evicted.isPresent()) {
          resumedFromItsCheckpoint(client, evicted.get());
        } else {
          uninterruptedValidation = bestValidation(client, client.resources(RecommenderModel.class).inNamespace(NS)
              .list().getItems().get(0).getStatus().training.job);
        }
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

  /** Where the quickstart's artifacts live: the spec.storage every resource gets. */
  record Storage(JsonNode spec) {
    static final String CLAIM = "serendip-artifacts";
    static final String SECRET = "serendip-s3";
    /** The bucket and prefix of the S3 variant; the dataset is expected under {@code datasets/ml-100k} of it. */
    static final String S3_URI = "s3://serendip/quickstart";

    /**
     * The published claim from the node's default StorageClass, filled with the catalog as an admin would fill it
     * (the node's disk is reachable here). A class that binds only for a first pod (k3s' local-path) is asked to
     * provision on the node now, as the scheduler would ask it.
     */
    static Storage volume(QuickstartNode node, KubernetesClient client) {
      node.kubectl("apply", "-n", NS, "-f", QUICKSTART.resolve("00-artifacts-volume.yaml").toString()).ok();
      var claim = client.persistentVolumeClaims().inNamespace(NS).withName(CLAIM);
      try {
        claim.waitUntilCondition(c -> c != null && "Bound".equals(c.getStatus().getPhase()), 10, TimeUnit.SECONDS);
      } catch (RuntimeException notYet) {
        String nodeName = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
            .filter(n -> !n.startsWith("kwok-")).findFirst().orElseThrow();
        claim.edit(c -> new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(c).editMetadata()
            .addToAnnotations("volume.kubernetes.io/selected-node", nodeName).endMetadata().build());
      }
      var bound = claim.waitUntilCondition(c -> "Bound".equals(c.getStatus().getPhase()), 3, TimeUnit.MINUTES);
      var pv = client.persistentVolumes().withName(bound.getSpec().getVolumeName()).get().getSpec();
      String volume = pv.getLocal() != null ? pv.getLocal().getPath() : pv.getHostPath().getPath();
      node.provideStorage(volume, MOVIELENS, "datasets/ml-100k");
      return new Storage(Manifests.parse(QUICKSTART.resolve("00-interest-cluster-set.yaml")).get(0).at("/spec/storage"));
    }

    /** A bucket of a real S3-compatible server the pods reach, its access key in a Secret. */
    static Storage bucket(KubernetesClient client, S3Server s3) {
      client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
          .withNewMetadata().withName(SECRET).endMetadata()
          .addToStringData("AWS_ACCESS_KEY_ID", s3.accessKeyId())
          .addToStringData("AWS_SECRET_ACCESS_KEY", s3.secretAccessKey()).build()).create();
      return new Storage(s3Spec(S3_URI, s3.endpoint(), SECRET));
    }

    static ObjectNode s3Spec(String uri, String endpoint, String secret) {
      ObjectNode spec = Manifests.JSON.createObjectNode().put("uri", uri);
      spec.putObject("s3").put("endpoint", endpoint).put("secretName", secret);
      return spec;
    }

    JsonNode applyTo(JsonNode doc) {
      if (doc.path("spec").has("storage")) {
        ((ObjectNode) doc.path("spec")).set("storage", spec.deepCopy());
      }
      return doc;
    }
  }

  /**
   * A store that refuses is a condition naming its answer, retried only at the Job's back-off: a wrong secret key,
   * and a bucket that does not exist. Nothing else is touched; both resources then go.
   */
  private static void storageRefusalsAreConditions(QuickstartNode node, KubernetesClient client, S3Server s3, Path dir)
      throws IOException {
    client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("wrong-key").endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", s3.accessKeyId())
        .addToStringData("AWS_SECRET_ACCESS_KEY", "not-" + s3.secretAccessKey()).build()).create();
    Map<String, String> causes = Map.of(
        "wrong-key", "denied (SignatureDoesNotMatch): check the access key in the storage Secret",
        "no-bucket", "bucket no-such-bucket does not exist on " + s3.endpoint());
    List<JsonNode> docs = new ArrayList<>();
    for (var refusal : causes.keySet()) {
      JsonNode doc = Manifests.parse(QUICKSTART.resolve("00-interest-cluster-set.yaml")).get(0);
      ((ObjectNode) doc.path("metadata")).put("name", refusal);
      ((ObjectNode) doc.path("spec")).set("storage", refusal.equals("wrong-key")
          ? Storage.s3Spec(Storage.S3_URI, s3.endpoint(), "wrong-key")
          : Storage.s3Spec("s3://no-such-bucket/x", s3.endpoint(), Storage.SECRET));
      docs.add(doc);
    }
    node.kubectl("apply", "-n", NS, "-f", Cluster.write(dir, "refused-storage.yaml", docs).toString()).ok();
    causes.forEach((name, cause) -> await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> {
          InterestClusterSet cs = client.resources(InterestClusterSet.class).inNamespace(NS).withName(name).get();
          assertThat(cs.getStatus()).isNotNull();
          assertThat(cs.getStatus().conditions).as("%s's conditions", name).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).contains("storage-initializer").contains(cause);
          });
        }));
    // the Job's back-off (10 s, 20 s, ...) and its backoffLimit bound the attempts: no retry storm
    for (String name : causes.keySet()) {
      assertThat(client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name",
          client.resources(InterestClusterSet.class).inNamespace(NS).withName(name).get().getStatus().buildJob)
          .list().getItems()).hasSizeLessThanOrEqualTo(3);
    }
    node.kubectl("delete", "-n", NS, "ics", "wrong-key", "no-bucket", "--wait=true", "--timeout=2m")
        .timeout(Duration.ofMinutes(3)).ok();
  }

  /** The dataset is where catalog.path names it in the storage; the build Job runs. */
  private static InterestClusterSet buildClusters(QuickstartNode node, KubernetesClient client, Path dir,
      Storage storage) {
    JsonNode doc = storage.applyTo(Manifests.parse(QUICKSTART.resolve("00-interest-cluster-set.yaml")).get(0));
    JsonNode spec = doc.path("spec");
    assertThat(spec.at("/catalog/path").asText()).isEqualTo(PodTemplates.ARTIFACTS_DIR + "/datasets/ml-100k");

    node.kubectl("apply", "-n", NS, "-f", Cluster.write(dir, "quickstart-clusters.yaml", List.of(doc)).toString()).ok();
    String name = doc.at("/metadata/name").asText();
    node.kubectl("wait", "-n", NS, "--for=condition=Ready", "ics/" + name, "--timeout=10m")
        .timeout(Duration.ofMinutes(11)).ok();
    InterestClusterSet cs = client.resources(InterestClusterSet.class).inNamespace(NS).withName(name).get();
    assertThat(cs.getStatus().artifactPath).as("published cluster artifact").startsWith(PodTemplates.ARTIFACTS_DIR);
    assertThat(cs.getStatus().clusters).isEqualTo(spec.at("/levels/0/clusters").asInt());
    return cs;
  }

  /**
   * The rest of the quickstart as published, both models trained by the operator's Jobs, except that everything
   * runs on CPU (the node has no GPU) and the interest model is a small one trained from scratch
   * ({@code engine: PyTorch}) rather than the fine-tuned LLM, whose training takes longer than this scenario should
   * (hack/demo.sh runs that one); the training sizes are small, as in docs/api.md.
   */
  private static void applyModelsAndExperiment(QuickstartNode node, Path dir, Storage storage) throws IOException {
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
          ((ObjectNode) spec.path("training")).put("hidden", 32).put("layers", 1).put("epochs", RECOMMENDER_EPOCHS);
        }
        if (spec.path("training").isObject()) {
          ((ObjectNode) spec.path("training")).putObject("resources").put("gpus", 0).put("cpu", "1").put("memory", "3Gi");
        }
        docs.add(storage.applyTo(doc));
      }
    }
    Path file = Cluster.write(dir, "quickstart-on-cpu.yaml", docs);
    node.kubectl("apply", "-n", NS, "-f", file.toString()).ok();
  }

  /** An evicted training pod: its name, and its log as it streamed until the pod was gone (an evicted pod is deleted). */
  record Evicted(String pod, java.io.ByteArrayOutputStream log, io.fabric8.kubernetes.client.dsl.LogWatch watch) {}

  /**
   * Evicts the recommender's training pod (the Eviction API, as a node drain or a preemption would) once it has
   * finished its second epoch: SIGTERM stops it at its next step, its checkpoint goes to the store, and the Job
   * starts another pod without counting a failure.
   */
  private static Optional<Evicted> evictTrainingMidEpoch(KubernetesClient client) {
    var rm = client.resources(RecommenderModel.class).inNamespace(NS);
    String job = await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> rm.list()
        .getItems().stream().map(m -> m.getStatus() == null || m.getStatus().training == null ? null
            : m.getStatus().training.job).filter(java.util.Objects::nonNull).findFirst().orElse(null),
        java.util.Objects::nonNull);
    var pods = client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", job);
    String pod = await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      for (var p : pods.list().getItems()) {
        String log;
        try {
          log = client.pods().inNamespace(NS).withName(p.getMetadata().getName()).getLog();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException initializing) {
          continue; // its storage initializer still runs: no log of the job's container yet
        }
        if (log.contains("epoch 2/" + RECOMMENDER_EPOCHS + " loss")) {
          return p.getMetadata().getName();
        }
      }
      return null;
    }, java.util.Objects::nonNull);
    var log = new java.io.ByteArrayOutputStream();
    var watch = client.pods().inNamespace(NS).withName(pod).inContainer("job").watchLog(log);
    assertThat(client.pods().inNamespace(NS).withName(pod).evict()).as("eviction of %s", pod).isTrue();
    return Optional.of(new Evicted(pod, log, watch));
  }

  /**
   * The evicted pod kept its checkpoint in the store; the next pod's storage initializer downloaded it and the
   * training resumed after the epochs done; the model it published is as good as the uninterrupted run's on the
   * volume (same spec and seed), when that ran in this JVM.
   */
  private static void resumedFromItsCheckpoint(KubernetesClient client, Evicted evicted) {
    RecommenderModel rm = client.resources(RecommenderModel.class).inNamespace(NS).list().getItems().get(0);
    await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(evicted.log().toString())
        .as("the evicted pod's log").contains("terminated by SIGTERM", "[storage] uploaded checkpoint"));
    evicted.watch().close();
    var next = client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", rm.getStatus().training.job)
        .list().getItems().stream().filter(p -> !p.getMetadata().getName().equals(evicted.pod())).findFirst()
        .orElseThrow(() -> new AssertionError("no pod replaced " + evicted.pod())).getMetadata().getName();
    assertThat(client.pods().inNamespace(NS).withName(next).inContainer(ObjectStorage.INITIALIZER).getLog())
        .as("the next pod's storage initializer").contains("a retried pod resumes from it");
    String resumedLog = client.pods().inNamespace(NS).withName(next).inContainer("job").getLog();
    assertThat(resumedLog).contains("resuming after epoch");
    int resumedAfter = Integer.parseInt(resumedLog.replaceAll("(?s).*resuming after epoch (\\d+)/.*", "$1"));
    assertThat(resumedAfter).as("epochs the next pod did not repeat").isGreaterThanOrEqualTo(2);
    double validation = bestValidation(client, rm.getStatus().training.job);
    System.out.printf("[quickstart] training pod %s evicted; the next pod resumed after epoch %d/%d; validation %s"
        + " (uninterrupted: %s)%n", evicted.pod(), resumedAfter, RECOMMENDER_EPOCHS, validation,
        uninterruptedValidation);
    if (uninterruptedValidation != null) {
      assertThat(validation).as("resumed against uninterrupted validation NDCG@10")
          .isCloseTo(uninterruptedValidation, org.assertj.core.data.Offset.offset(0.01));
    }
  }

  /** The recommender's validation figure of the last uninterrupted run in this JVM (the volume variant). */
  static volatile Double uninterruptedValidation;

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
   * The validation NDCG@10 of the recommender the training Job published: the best epoch's, over the logs of all
   * its pods (the trainer keeps the best epoch's parameters; a resumed pod logs the best so far).
   */
  static double bestValidation(KubernetesClient client, String job) {
    double best = Double.NaN;
    for (var p : client.pods().inNamespace(NS).withLabel("batch.kubernetes.io/job-name", job).list().getItems()) {
      var m = java.util.regex.Pattern.compile("validation (\\d+\\.\\d+)")
          .matcher(client.pods().inNamespace(NS).withName(p.getMetadata().getName()).inContainer("job").getLog());
      while (m.find()) {
        best = Double.isNaN(best) ? Double.parseDouble(m.group(1)) : Math.max(best, Double.parseDouble(m.group(1)));
      }
    }
    assertThat(best).as("validation figures in the logs of Job %s", job).isNotNaN();
    return best;
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
