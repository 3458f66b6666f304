package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.ClusterIpHosts;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.RecommenderModel;
import io.serendip.operator.support.Labels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The serving stack the real-node traffic tests share, started once per test JVM: the operator in its own JVM on
 * the host (SIGKILL-able, resolving Service names to their ClusterIPs as cluster DNS would) watching one namespace,
 * an InterestClusterSet built by the operator's Job from generated engagement data with planted interest
 * transitions, and the InterestModel (Indexed precompute Job, gate-checking merge Job, server) and RecommenderModel
 * on models trained on those clusters. The real node runs every pod from the runtime image. Plus the helpers the
 * tests drive it with: recommend requests and feedback events to the routers, manifests, waits.
 */
final class ServingStack {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The runtime image's user: the artifact volume (a hostPath) is its to write, as a storage class would make it. */
  static final int RUNTIME_UID = 65532;

  static LocalControlPlane controlPlane;
  static KubernetesClient admin;
  static ClusterIpHosts serviceNames;
  static OperatorProcess operator;
  static Path state;
  static Path artifacts;
  static String ns;
  static List<String> itemIds;

  private static boolean started;
  private static Throwable failed;
  /** The test classes sharing the stack: once each has released it, it is taken down to free the node. */
  private static final Set<Class<?>> USERS = Set.of(RealTrafficRolloutTest.class, RealNodeFaultsTest.class);
  private static final Set<Class<?>> RELEASED = new HashSet<>();

  private ServingStack() {}

  /** Starts the stack unless this JVM already has; stopped with the JVM (the node goes with it). */
  static synchronized void start() throws Exception {
    if (started) {
      return;
    }
    if (failed != null) {
      throw new IllegalStateException("the serving stack failed to start for an earlier test class", failed);
    }
    try {
      startStack();
    } catch (Exception | AssertionError e) {
      failed = e;
      throw e;
    }
    started = true;
    Runtime.getRuntime().addShutdownHook(new Thread(ServingStack::stop, "serving-stack-stop"));
  }

  private static void startStack() throws Exception {
    controlPlane = RealNode.cluster();
    admin = controlPlane.newClient();
    Cluster.installCrds(controlPlane);
    ns = controlPlane.createNamespace(admin, "traffic");
    state = Files.createTempDirectory("serendip-traffic-");
    artifacts = Files.createDirectories(state.resolve("artifacts"));
    Files.setAttribute(artifacts, "unix:uid", RUNTIME_UID);
    Files.setAttribute(artifacts, "unix:gid", RUNTIME_UID);
    serviceNames = ClusterIpHosts.watch(admin, ns, state.resolve("hosts"));
    operator = startOperator("operator.log");

    // Generated engagement data with planted interest transitions, where the cluster-set Job reads it.
    Path dataset = artifacts.resolve("datasets/synthetic");
    RuntimeJar.job("generate-synthetic", "--items", "300", "--users", "400", "--interests", "6", "--seed", "7",
        "--output", dataset.toString());
    itemIds = Files.readAllLines(dataset.resolve("catalog.jsonl")).stream()
        .map(line -> read(line).path("id").asText()).toList();

    apply(clusterSet());
    InterestClusterSet cs = awaitReady(InterestClusterSet.class, "clusters", Duration.ofMinutes(4));
    Path clusters = artifacts.resolve(cs.getStatus().artifactPath.substring("/artifacts/".length()));
    assertThat(clusters.resolve("manifest.json")).as("the build Job really ran").isRegularFile();

    // Both models are trained by the operator's training Jobs on the cluster set the Job built (spec.training).
    apply(interestModel());
    apply(recommenderModel("rec"));
    awaitReady(InterestModel.class, "novelty", Duration.ofMinutes(10));
    awaitReady(RecommenderModel.class, "rec", Duration.ofMinutes(6));
  }

  /** A test class is done with the stack; the last of {@link #USERS} takes it down (its namespace, the operator). */
  static synchronized void release(Class<?> user) {
    RELEASED.add(user);
    if (RELEASED.containsAll(USERS)) {
      takeDown();
    }
  }

  /**
   * Takes the stack down now if it runs, for a test class that needs the node's two cores (a user class that runs
   * later starts a new one).
   */
  static synchronized void takeDown() {
    if (!started) {
      return;
    }
    // The operator is still up to finish what it owns while the namespace goes.
    admin.namespaces().withName(ns).delete();
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
        .until(() -> admin.namespaces().withName(ns).get() == null);
    stop();
    started = false;
  }

  private static void stop() {
    try {
      if (operator != null) {
        operator.close();
        operator = null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (serviceNames != null) {
      serviceNames.close();
      serviceNames = null;
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }

  /** Deletes what a test class created so the node's two cores are free for the next one. */
  static void delete(String kind, String... names) {
    for (String name : names) {
      controlPlane.kubectl("delete", "-n", ns, kind, name, "--ignore-not-found", "--wait=false");
    }
  }

  static OperatorProcess startOperator(String log) {
    return OperatorProcess.start(controlPlane, serviceNames.file(), RealNode.image("runtime"), ns,
        state.resolve(log));
  }

  static List<Pod> routerPods(String xp) {
    return admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, xp).withLabel(Labels.COMPONENT, "router").list()
        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  static JsonNode statsOf(Pod router) throws Exception {
    return read(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + router.getStatus().getPodIP()
        + ":8080/v1/stats")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  static String logOf(Pod pod) {
    return controlPlane.kubectl("logs", "-n", ns, pod.getMetadata().getName());
  }

  /** One line of what a fault test saw, for docs/robustness.md (in the test's output). */
  static void observe(String format, Object... args) {
    System.out.println("[observed] " + String.format(java.util.Locale.ROOT, format, args));
  }

  static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  /** The first {@code count} users (of "u0", "u1", ...) the experiment's router assigns to {@code arm}. */
  static int restartCount(Pod pod) {
    Pod now = admin.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
    return now.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  static List<String> usersAssignedTo(String xp, String arm, int count) throws Exception {
    List<String> users = new ArrayList<>();
    for (int u = 0; users.size() < count; u++) {
      assertThat(u).as("users assigned to " + arm).isLessThan(100 * count);
      JsonNode slate = recommend(xp, "u" + u);
      if (slate != null && slate.path("assignedArm").asText().equals(arm)) {
        users.add("u" + u);
      }
    }
    return users;
  }

  static JsonNode armStats(String xp, String arm) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + readyRouterIp(xp) + ":8080/v1/stats"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return read(r.body()).path("arms").path(arm);
  }

  /** A server's serendip_config_reloads_total for one result (0 before the first). */
  static double reloads(String server, String result) throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(server + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("serendip_config_reloads_total") && l.contains("result=\"" + result + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  // ---- traffic ----

  /** Sends users' requests and feedback until the experiment satisfies {@code done} (or 4 minutes pass). */
  static void drive(String xp, int usersPerRound, boolean clickExplored, Predicate<ExplorationExperiment> done)
      throws Exception {
    Random random = new Random(xp.hashCode());
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    int round = 0;
    while (!done.test(experiment(xp))) {
      assertThat(System.nanoTime()).as("experiment %s did not get there; status %s; operator log %s",
          xp, JSON.writeValueAsString(experiment(xp).getStatus()), operator.log()).isLessThan(deadline);
      for (int u = 0; u < usersPerRound && !done.test(experiment(xp)); u++) {
        String user = "r" + round + "-u" + u;
        JsonNode slate = recommend(xp, user, random);
        if (slate == null) {
          break; // router pod rolling: the next round finds the new one
        }
        feedback(xp, slate, clickExplored);
      }
      round++;
    }
  }

  static JsonNode recommend(String xp, String user) throws Exception {
    return recommend(xp, user, new Random(user.hashCode()));
  }

  static JsonNode recommend(String xp, String user, Random random) throws Exception {
    ArrayNode history = JSON.createArrayNode();
    for (int i = 0; i < 4; i++) {
      history.add(itemIds.get(random.nextInt(itemIds.size())));
    }
    ObjectNode body = JSON.createObjectNode().put("user", user).put("k", 10);
    body.set("history", history);
    HttpResponse<String> r = post(xp, "/v1/recommend", body);
    if (r == null) {
      return null;
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return read(r.body());
  }

  /**
   * Clicks or skips the slate's items, naming it by its request id (the router counted its impressions when it
   * served it). The event may reach the other router replica, which passes it to the one that served the slate.
   */
  static void feedback(String xp, JsonNode slate, boolean clickExplored) throws Exception {
    ArrayNode clicked = JSON.createArrayNode();
    ArrayNode skipped = JSON.createArrayNode();
    boolean first = true;
    for (JsonNode item : slate.path("items")) {
      ObjectNode ref = JSON.createObjectNode().put("id", item.path("id").asText())
          .put("explored", item.path("explored").asBoolean());
      if (item.path("explored").asBoolean()) {
        (clickExplored ? clicked : skipped).add(ref);
      } else if (first) {
        clicked.add(ref);
        first = false;
      }
    }
    String requestId = slate.path("requestId").asText();
    event(xp, requestId, "click", clicked);
    event(xp, requestId, "skip", skipped);
  }

  static void event(String xp, String requestId, String type, ArrayNode items) throws Exception {
    if (items.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("requestId", requestId).put("type", type);
    body.set("items", items);
    HttpResponse<String> r = post(xp, "/v1/events", body);
    if (r != null) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
  }

  /** POST to a ready router pod of the experiment; null while none is ready (a rolling router). */
  static HttpResponse<String> post(String xp, String path, JsonNode body) throws Exception {
    String ip = readyRouterIp(xp);
    if (ip == null) {
      Thread.sleep(500);
      return null;
    }
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080" + path))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null; // the pod went away between the lookup and the request
    }
  }

  static String readyRouterIp(String xp) {
    List<String> ips = admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, xp).withLabel(Labels.COMPONENT, "router").list()
        .getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
            && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .map(p -> p.getStatus().getPodIP()).toList();
    return ips.isEmpty() ? null : ips.get(PICK.nextInt(ips.size()));
  }

  /** Spreads requests over an experiment's ready router pods, as a Service does over connections. */
  static final Random PICK = new Random(3);

  /** The router Deployment runs its latest template only: every replica updated and ready, none terminating. */
  static void assertRouterRolledOut(String xp) {
    Deployment d = admin.apps().deployments().inNamespace(ns).withName(xp + "-router").get();
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    int replicas = d.getSpec().getReplicas();
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(replicas);
    assertThat(d.getStatus().getReplicas()).as("no replica of an older template left").isEqualTo(replicas);
    assertThat(admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, xp).withLabel(Labels.COMPONENT, "router").list()
        .getItems()).as("router pods").hasSize(replicas).allMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
  }

  static void awaitRouterServing(String xp) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .alias("router of " + xp + " ready (operator log under " + state + ")")
        .until(() -> readyRouterIp(xp) != null);
  }

  // ---- resources ----

  static ExplorationExperiment experiment(String name) {
    return admin.resources(ExplorationExperiment.class).inNamespace(ns).withName(name).get();
  }

  /** A pod of the owner's component (exactly: "recommender" is not "recommender-training"). */
  static Pod podOf(String owner, String component) {
    return admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, owner).withLabel(Labels.COMPONENT, component).list()
        .getItems().stream().findFirst()
        .orElseThrow(() -> new AssertionError("no " + component + " pod of " + owner));
  }

  static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T awaitReady(Class<T> kind, String name, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofSeconds(1))
        .alias(kind.getSimpleName() + " " + name + " Ready (operator log under " + state + ")")
        .until(() -> {
          T r = admin.resources(kind).inNamespace(ns).withName(name).get();
          return r != null && readyCondition(r);
        });
    return admin.resources(kind).inNamespace(ns).withName(name).get();
  }

  /** A condition of a resource's status ({@code missing} when it has none of that type). */
  static JsonNode condition(Object resource, String type) {
    for (JsonNode c : JSON.valueToTree(resource).path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return JSON.missingNode();
  }

  /** "prefix0" .. "prefix{n-1}". */
  static List<String> users(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  /** The experiment's router Service, by its ClusterIP (what kube-proxy balances over the router pods). */
  static String routerService(String xp) {
    return "http://" + admin.services().inNamespace(ns).withName(xp + "-router").get().getSpec().getClusterIP() + ":8080";
  }

  static boolean readyCondition(Object resource) {
    return condition(resource, "Ready").path("status").asText().equals("True");
  }

  static void apply(String yaml) {
    controlPlane.kubectlWithInput(yaml, "apply", "-n", ns, "-f", "-").requireSuccess();
  }

  static String clusterSet() {
    return """
        apiVersion: serendip.io/v1alpha1
        kind: InterestClusterSet
        metadata: {name: clusters}
        spec:
          catalog: {format: Dataset, path: /artifacts/datasets/synthetic}
          embedding: {source: CoOccurrence, dimension: 16}
          levels: [{clusters: 6}]
          describer: {keywords: 3}
          storage: {hostPath: %s}
        """.formatted(artifacts);
  }

  static String interestModel() {
    return """
        apiVersion: serendip.io/v1alpha1
        kind: InterestModel
        metadata: {name: novelty}
        spec:
          clusterSetRef: clusters
          engine: PyTorch
          training:
            method: FromScratch
            hidden: 32
            layers: 1
            epochs: 5
            resources: {cpu: "1", memory: 2Gi}
          historyLength: 2
          candidates: 3
          resources: {cpu: 250m, memory: 1Gi}
          replicas: 1
          precompute: {shards: 2, parallelism: 2}
          gates: {minExactMatchRate: 0.9, minRecall: 0.015}
          storage: {hostPath: %s}
        """.formatted(artifacts);
  }

  static String recommenderModel(String name) {
    return """
        apiVersion: serendip.io/v1alpha1
        kind: RecommenderModel
        metadata: {name: %s}
        spec:
          clusterSetRef: clusters
          interestModelRef: novelty
          engine: PyTorch
          training:
            epochs: 3
            resources: {cpu: "1", memory: 2Gi}
          resources: {cpu: 250m, memory: 1Gi}
          replicas: 1
          storage: {hostPath: %s}
        """.formatted(name, artifacts);
  }

  /** A fixed 50/50 split (no rollout steps): control on "rec", explore on {@code exploreRecommender}. */
  static String staticSplit(String name, String exploreRecommender) {
    return experiment(name, exploreRecommender, "");
  }

  /** 50/50 on "rec", rolled out 50% -> pause -> 100%, with a positive-feedback guardrail every {@code interval}. */
  static String experiment(String name, String interval) {
    return experiment(name, interval, 1);
  }

  static String experiment(String name, String interval, int routerReplicas) {
    return experiment(name, "rec", routerReplicas, """
        rollout:
          steps:
            - setWeight: 50
            - pause: {duration: 1s}
            - setWeight: 100
        guardrails:
          metrics: {type: RouterStats}
          minSamples: 300
          minPositiveFeedbackRatio: 0.8
          interval: %s
        """.formatted(interval).indent(2));
  }

  static String experiment(String name, String exploreRecommender, String rolloutAndGuardrails) {
    return experiment(name, exploreRecommender, 1, rolloutAndGuardrails);
  }

  static String experiment(String name, String exploreRecommender, int routerReplicas,
      String rolloutAndGuardrails) {
    return """
        apiVersion: serendip.io/v1alpha1
        kind: ExplorationExperiment
        metadata: {name: %s}
        spec:
          arms:
            - {name: control, control: true, weight: 50, recommenderRef: rec, explorationShare: 0.0}
            - {name: explore, weight: 50, recommenderRef: %s, explorationShare: 0.3}
          assignment: {salt: %s}
        %s  router:
            replicas: %d
            # Four experiments' routers, three model servers and CoreDNS share the node's two cores.
            cpu: 100m
            # Generous: on a loaded 2-core machine a cold recommender can take seconds; a 502 fails the test.
            connectTimeoutMillis: 5000
            requestTimeoutMillis: 20000
        """.formatted(name, exploreRecommender, name, rolloutAndGuardrails, routerReplicas);
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
