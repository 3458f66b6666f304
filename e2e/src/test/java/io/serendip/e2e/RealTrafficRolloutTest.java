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
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rollouts driven by real traffic. The operator (its own JVM on the host, resolving Service names to their
 * ClusterIPs as cluster DNS would) reconciles the four kinds on the local control plane; the real node runs
 * the pods it creates from the runtime image, under the restricted security context the operator renders,
 * configured from exactly the ConfigMaps and args it wrote: the cluster-set build Job, the Indexed precompute
 * Job and the gate-checking merge Job, the interest-model and recommender servers and the router. The test
 * sends recommend requests and feedback events to the router; the operator reads the router's stats through
 * its Service, advances one rollout to 100% and aborts another on its positive-feedback guardrail, and converges
 * after being SIGKILLed mid-rollout. Then two serving faults: an arm's backend container SIGKILLed (its users
 * fall back to control, counted, until the kubelet has restarted it) and a corrupt novelty table put in place
 * of the good one (refused; the table loaded before keeps serving).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealTrafficRolloutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The runtime image's user: the artifact volume (a hostPath) is its to write, as a storage class would make it. */
  private static final int RUNTIME_UID = 65532;

  static LocalControlPlane controlPlane;
  static KubernetesClient admin;
  static ClusterIpHosts serviceNames;
  static OperatorProcess operator;
  static Path state;
  static Path artifacts;
  static String ns;
  static List<String> itemIds;

  @BeforeAll
  static void startNodeOperatorAndModels() throws Exception {
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

    // The models the InterestModel and RecommenderModel name, trained on the cluster set the Job built.
    RuntimeJar.job("train-interest-model", "--model", "from-scratch", "--dataset", clusters.resolve("dataset").toString(),
        "--clusters", clusters.toString(), "--epochs", "5", "--hidden", "32", "--layers", "1", "--max-gate-cases", "150",
        "--torch-threads", "1",
        "--output", artifacts.resolve("interest-model/v1").toString());
    RuntimeJar.job("train-recommender", "--dataset", clusters.resolve("dataset").toString(), "--epochs", "3",
        "--torch-threads", "1", "--output", artifacts.resolve("recommender/v1").toString());
    apply(interestModel());
    apply(recommenderModel("rec"));
    awaitReady(InterestModel.class, "novelty", Duration.ofMinutes(6));
    awaitReady(RecommenderModel.class, "rec", Duration.ofMinutes(3));
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null && ns != null) {
      // Frees the node for the next test class; the operator is still up to remove what it owns.
      admin.namespaces().withName(ns).delete();
    }
    if (operator != null) {
      operator.close();
    }
    if (serviceNames != null) {
      serviceNames.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  private static OperatorProcess startOperator(String log) {
    return OperatorProcess.start(controlPlane, serviceNames.file(), RealNode.image("runtime"), ns,
        state.resolve(log));
  }

  @Test
  @Order(1)
  void pipelineJobsRanAsTheOperatorWroteThem() throws IOException {
    InterestModel im = admin.resources(InterestModel.class).inNamespace(ns).withName("novelty").get();
    Path table = artifacts.resolve(im.getStatus().noveltyTable.substring("/artifacts/".length()));
    assertThat(table).isRegularFile();
    assertThat(Files.list(table.getParent().resolve("shards")).map(p -> p.getFileName().toString()))
        .as("one shard file per completion index of the Indexed Job")
        .containsExactlyInAnyOrder("shard-00000-of-00002.bin", "shard-00001-of-00002.bin");
    assertThat(logOf(podOf("novelty", "novelty-merge"))).contains("gates passed");
    // Every pod the operator made ran its image on the real node, as the restricted user.
    List<Pod> pods = admin.pods().inNamespace(ns).list().getItems();
    assertThat(pods).hasSizeGreaterThanOrEqualTo(6); // build, 2 precompute shards, merge, 2 servers
    for (Pod pod : pods) {
      assertThat(pod.getSpec().getNodeName()).as(pod.getMetadata().getName()).isEqualTo(LocalControlPlane.REAL_NODE);
      assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(RealNode.image("runtime"));
      assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(RUNTIME_UID);
      assertThat(pod.getStatus().getContainerStatuses().get(0).getImageID()).as("containerd ran it").isNotBlank();
    }
  }

  @Test
  @Order(2)
  void rolloutAdvancesToFullWeightOnHealthyTraffic() throws Exception {
    apply(experiment("advance", "2s", 2));
    awaitRouterServing("advance");
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertRouterRolledOut("advance"));
    List<String> routerPods = routerPods("advance").stream().map(p -> p.getMetadata().getName()).sorted().toList();
    // Explored items get clicks as often as control's items: the guardrail passes, steps advance. Requests go to
    // either router replica; the operator judges the sum of both.
    drive("advance", 600, true, xp -> "Completed".equals(xp.getStatus().phase));
    ExplorationExperiment xp = experiment("advance");
    assertThat(xp.getStatus().weights).contains("explore=50");
    assertThat(xp.getStatus().abortReason).isNull();
    long judged = xp.getStatus().arms.stream().filter(a -> a.name.equals("explore")).findFirst().orElseThrow()
        .metrics.requests;
    long mostOnOnePod = 0;
    for (Pod router : routerPods("advance")) {
      mostOnOnePod = Math.max(mostOnOnePod, statsOf(router).path("arms").path("explore").path("requests").asLong());
    }
    assertThat(judged).as("explore requests the operator judged: more than any one replica has ever served")
        .isGreaterThan(mostOnOnePod);
    // The weight steps reached the routers by reloading their ConfigMap in place: the same pods, never
    // restarted, serving the revision the operator wrote last (once the kubelet has synced the volume).
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      List<Pod> now = routerPods("advance");
      assertThat(now.stream().map(p -> p.getMetadata().getName()).sorted().toList()).isEqualTo(routerPods);
      for (Pod router : now) {
        assertThat(router.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
        JsonNode stats = statsOf(router);
        assertThat(stats.path("configRevision").asText())
            .isEqualTo(experiment("advance").getStatus().routerConfigRevision);
        assertThat(stats.path("arms").path("explore").path("requests").asLong())
            .as("counters kept through the steps").isPositive();
      }
    });
  }

  private static List<Pod> routerPods(String xp) {
    return admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, xp).withLabel(Labels.COMPONENT, "router").list()
        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static JsonNode statsOf(Pod router) throws Exception {
    return read(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + router.getStatus().getPodIP()
        + ":8080/v1/stats")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  @Order(3)
  void rolloutAbortsOnTheFeedbackGuardrail() throws Exception {
    apply(experiment("abort", "2s"));
    awaitRouterServing("abort");
    // Every explored item is skipped: the explore arm's explored-feedback rate falls below the floor.
    drive("abort", 600, false, xp -> "Aborted".equals(xp.getStatus().phase));
    ExplorationExperiment xp = experiment("abort");
    assertThat(xp.getStatus().abortReason).contains("positive-feedback rate");
    // After the abort all traffic goes to control again, through the router the operator reconfigured.
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      for (int u = 0; u < 40; u++) {
        assertThat(recommend("abort", "after-" + u).path("arm").asText()).isEqualTo("control");
      }
    });
  }

  @Test
  @Order(4)
  void operatorKilledAndApiServerRestartedMidRolloutStillConverges() throws Exception {
    apply(experiment("resilient", "2s"));
    awaitRouterServing("resilient");
    drive("resilient", 300, true, xp -> xp.getStatus() != null && xp.getStatus().currentStep != null && xp.getStatus().currentStep >= 1);
    int jobsBefore = admin.batch().v1().jobs().inNamespace(ns).list().getItems().size();
    long killed = System.nanoTime();
    operator.kill();
    controlPlane.restart("kube-apiserver"); // every watch (node, informers, the next operator) reconnects
    operator = startOperator("operator-2.log");
    long restarted = System.nanoTime();
    drive("resilient", 900, true, xp -> "Completed".equals(xp.getStatus().phase));
    observe("operator SIGKILL + kube-apiserver restart at step %d: API server and new operator back after %.1f s, "
        + "rollout Completed %.1f s after the kill; Jobs %d before, %d after", 1, seconds(killed, restarted),
        seconds(killed, System.nanoTime()), jobsBefore, admin.batch().v1().jobs().inNamespace(ns).list().getItems().size());
    assertThat(experiment("resilient").getStatus().weights).contains("explore=50");
    // Nothing lost or redone: the other resources stayed Ready and no pipeline Job ran again.
    assertThat(readyCondition(admin.resources(InterestModel.class).inNamespace(ns).withName("novelty").get())).isTrue();
    assertThat(readyCondition(admin.resources(RecommenderModel.class).inNamespace(ns).withName("rec").get())).isTrue();
    assertThat(readyCondition(experiment("advance"))).isTrue();
    assertThat("Aborted").isEqualTo(experiment("abort").getStatus().phase);
    assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(jobsBefore);
  }

  @Test
  @Order(5)
  void anArmsBackendKilledFallsBackToControlAndRecovers() throws Exception {
    apply(recommenderModel("rec-b"));
    awaitReady(RecommenderModel.class, "rec-b", Duration.ofMinutes(3));
    apply(staticSplit("faults", "rec-b"));
    awaitRouterServing("faults");
    List<String> exploreUsers = usersAssignedTo("faults", "explore", 30);
    long fallbacksBefore = armStats("faults", "explore").path("fallbacks").asLong();

    Pod backend = podOf("rec-b", "recommender");
    // The operator is frozen during the outage so the router's own fallback is what is tested: a live
    // operator would soon see the arm not ready and route its share to control by weight instead.
    operator.freeze();
    long crashed;
    int servedByControl = 0;
    try {
      String container = backend.getStatus().getContainerStatuses().get(0).getContainerID();
      assertThat(container).as("rec-b's container was running").isNotBlank();
      controlPlane.crash(container);
      crashed = System.nanoTime();
      // While the explore arm's only backend is down its users get control's slates: nothing fails.
      for (String user : exploreUsers) {
        JsonNode slate = recommend("faults", user);
        assertThat(slate).as("a ready router answered").isNotNull();
        assertThat(slate.path("assignedArm").asText()).as("assignment unchanged: the router config was not touched")
            .isEqualTo("explore");
        if (slate.path("arm").asText().equals("explore")) {
          // Only possible once the kubelet has restarted the container (back-off, then JVM start and model load).
          assertThat(restartCount(backend)).as("explore answered although its backend was not restarted").isPositive();
          break;
        }
        assertThat(slate.path("arm").asText()).as("served by control while explore's backend is down").isEqualTo("control");
        servedByControl++;
      }
    } finally {
      operator.thaw();
    }
    long fallbacks = armStats("faults", "explore").path("fallbacks").asLong() - fallbacksBefore;
    assertThat(servedByControl).as("explore users served by control during the outage").isPositive();
    assertThat(fallbacks).as("every explore user's request served by control counted as a fallback")
        .isGreaterThanOrEqualTo(servedByControl);

    // The node restarts the process; once it is ready again the explore arm serves its users again.
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(restartCount(backend)).isPositive();
      JsonNode slate = recommend("faults", exploreUsers.get(0));
      assertThat(slate).as("a ready router answered").isNotNull();
      assertThat(slate.path("arm").asText()).isEqualTo("explore");
    });
    observe("explore arm's backend SIGKILLed (operator frozen): %d explore users' requests during the outage all answered "
        + "200 by control, router fallbacks +%d; explore serving again %.1f s after the kill", servedByControl, fallbacks,
        seconds(crashed, System.nanoTime()));
    awaitReady(RecommenderModel.class, "rec-b", Duration.ofMinutes(1));
    // Once thawed, the operator may have taken the arm out while it was down and put it back since: wait
    // for that to settle so the next test meets one router with the full split.
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertThat(experiment("faults").getStatus().weights).contains("explore=50");
      assertRouterRolledOut("faults");
      JsonNode slate = recommend("faults", exploreUsers.get(0));
      assertThat(slate).as("a ready router answered").isNotNull();
      assertThat(slate.path("arm").asText()).isEqualTo("explore");
    });
  }

  @Test
  @Order(6)
  void aCorruptNoveltyTableIsRefusedAndTheOldOneKeepsServing() throws Exception {
    InterestModel im = admin.resources(InterestModel.class).inNamespace(ns).withName("novelty").get();
    Path table = artifacts.resolve(im.getStatus().noveltyTable.substring("/artifacts/".length()));
    String recommender = "http://" + podOf("rec", "recommender").getStatus().getPodIP() + ":8080";
    List<String> exploreUsers = usersAssignedTo("faults", "explore", 20);
    double refusedBefore = reloads(recommender, "refused");
    double appliedBefore = reloads(recommender, "applied");

    // A corrupt table lands where the good one was (same size, one byte flipped, renamed into place).
    byte[] good = Files.readAllBytes(table);
    byte[] corrupt = good.clone();
    corrupt[corrupt.length / 2] ^= 0x5A;
    Path staged = table.resolveSibling(table.getFileName() + ".staged");
    Files.write(staged, corrupt);
    long corrupted = System.nanoTime();
    Files.move(staged, table, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> reloads(recommender, "refused") > refusedBefore);
    double refusedAfter = seconds(corrupted, System.nanoTime());
    assertThat(logOf(podOf("rec", "recommender"))).contains("checksum");
    // The table loaded before keeps serving: explore users still get explored items from novel clusters.
    for (String user : exploreUsers) {
      JsonNode slate = recommend("faults", user);
      assertThat(slate.path("arm").asText()).isEqualTo("explore");
      assertThat(slate.path("exploration").path("novelClusters")).as("novel clusters from the old table").isNotEmpty();
    }
    assertThat(reloads(recommender, "applied")).isEqualTo(appliedBefore);

    // The good table back: applied again.
    Files.write(staged, good);
    Files.move(staged, table, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    long restored = System.nanoTime();
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> reloads(recommender, "applied") > appliedBefore);
    observe("corrupt novelty table renamed into place: refused (checksum mismatch) within %.1f s; %d explore users "
        + "served meanwhile from the old table, all 200 with novel clusters; good table applied again within %.1f s",
        refusedAfter, exploreUsers.size(), seconds(restored, System.nanoTime()));
  }

  private static String logOf(Pod pod) {
    return controlPlane.kubectl("logs", "-n", ns, pod.getMetadata().getName());
  }

  /**
   * The router's pod replaced (a new template: its CPU request changed) while a client sends recommend requests
   * through the router's Service without pause, on keep-alive connections: the new pod starts, the old one leaves
   * the endpoints, keeps serving through its preStop pause, then drains and closes its connections; no request
   * fails.
   */
  @Test
  @Order(7)
  void aRouterRollingUpdateUnderLoadFailsNoRequest() throws Exception {
    assertRouterRolledOut("faults");
    String service = "http://" + admin.services().inNamespace(ns).withName("faults-router").get().getSpec()
        .getClusterIP() + ":8080";
    String before = podOf("faults", "router").getMetadata().getName();
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpClient keepAlive = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Thread load = new Thread(() -> {
      Random random = new Random(11);
      for (int i = 0; running.get(); i++) {
        ObjectNode body = JSON.createObjectNode().put("user", "rolling-" + (i % 500)).put("k", 10);
        body.set("history", JSON.createArrayNode().add(itemIds.get(random.nextInt(itemIds.size()))));
        try {
          HttpResponse<String> r = keepAlive.send(HttpRequest.newBuilder(URI.create(service + "/v1/recommend"))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            answered.incrementAndGet();
          } else {
            failures.add("HTTP " + r.statusCode() + ": " + r.body());
          }
        } catch (IOException e) {
          failures.add(e.getClass().getSimpleName() + ": " + e.getMessage() + " <- " + e.getCause());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rolling-update-load");
    load.start();
    long started = System.nanoTime();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() > 50);
      controlPlane.kubectl("patch", "-n", ns, "explorationexperiment", "faults", "--type", "merge",
          "-p", "{\"spec\":{\"router\":{\"cpu\":\"110m\"}}}");
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertRouterRolledOut("faults");
        assertThat(podOf("faults", "router").getMetadata().getName()).isNotEqualTo(before);
        assertThat(admin.pods().inNamespace(ns).withName(before).get()).as("the old router pod is gone").isNull();
      });
      int atSwitch = answered.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() > atSwitch + 50); // the new pod serves
    } finally {
      running.set(false);
      load.join(60_000);
    }
    observe("router rolled (new template) under load through its Service: %d requests answered 200 in %.1f s, "
        + "%d failed", answered.get(), seconds(started, System.nanoTime()), failures.size());
    assertThat(failures).as("requests that failed while the router rolled").isEmpty();
  }

  /** One line of what a fault test saw, for docs/robustness.md (in the test's output). */
  private static void observe(String format, Object... args) {
    System.out.println("[observed] " + String.format(java.util.Locale.ROOT, format, args));
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  /** The first {@code count} users (of "u0", "u1", ...) the experiment's router assigns to {@code arm}. */
  private static int restartCount(Pod pod) {
    Pod now = admin.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
    return now.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static List<String> usersAssignedTo(String xp, String arm, int count) throws Exception {
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

  private static JsonNode armStats(String xp, String arm) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + readyRouterIp(xp) + ":8080/v1/stats"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return read(r.body()).path("arms").path(arm);
  }

  /** A server's serendip_config_reloads_total for one result (0 before the first). */
  private static double reloads(String server, String result) throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(server + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("serendip_config_reloads_total") && l.contains("result=\"" + result + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  // ---- traffic ----

  /** Sends users' requests and feedback until the experiment satisfies {@code done} (or 4 minutes pass). */
  private static void drive(String xp, int usersPerRound, boolean clickExplored, Predicate<ExplorationExperiment> done)
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
        feedback(xp, user, slate, clickExplored);
      }
      round++;
    }
  }

  private static JsonNode recommend(String xp, String user) throws Exception {
    return recommend(xp, user, new Random(user.hashCode()));
  }

  private static JsonNode recommend(String xp, String user, Random random) throws Exception {
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

  private static void feedback(String xp, String user, JsonNode slate, boolean clickExplored) throws Exception {
    String arm = slate.path("arm").asText();
    ArrayNode items = JSON.createArrayNode();
    ArrayNode clicked = JSON.createArrayNode();
    ArrayNode skipped = JSON.createArrayNode();
    boolean first = true;
    for (JsonNode item : slate.path("items")) {
      ObjectNode ref = JSON.createObjectNode().put("id", item.path("id").asText())
          .put("explored", item.path("explored").asBoolean()).put("novel", item.path("novel").asBoolean());
      items.add(ref);
      if (item.path("explored").asBoolean()) {
        (clickExplored ? clicked : skipped).add(ref);
      } else if (first) {
        clicked.add(ref);
        first = false;
      }
    }
    event(xp, user, arm, "impression", items);
    event(xp, user, arm, "click", clicked);
    event(xp, user, arm, "skip", skipped);
  }

  private static void event(String xp, String user, String arm, String type, ArrayNode items) throws Exception {
    if (items.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("user", user).put("arm", arm).put("type", type);
    body.set("items", items);
    HttpResponse<String> r = post(xp, "/v1/events", body);
    if (r != null) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
  }

  /** POST to a ready router pod of the experiment; null while none is ready (a rolling router). */
  private static HttpResponse<String> post(String xp, String path, JsonNode body) throws Exception {
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

  private static String readyRouterIp(String xp) {
    List<String> ips = admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, xp).withLabel(Labels.COMPONENT, "router").list()
        .getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
            && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .map(p -> p.getStatus().getPodIP()).toList();
    return ips.isEmpty() ? null : ips.get(PICK.nextInt(ips.size()));
  }

  /** Spreads requests over an experiment's ready router pods, as a Service does over connections. */
  private static final Random PICK = new Random(3);

  /** The router Deployment runs its latest template only: every replica updated and ready, none terminating. */
  private static void assertRouterRolledOut(String xp) {
    Deployment d = admin.apps().deployments().inNamespace(ns).withName(xp + "-router").get();
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    int replicas = d.getSpec().getReplicas();
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
    assertThat(d.getStatus().getReadyReplicas()).isEqualTo(replicas);
    assertThat(d.getStatus().getReplicas()).as("no replica of an older template left").isEqualTo(replicas);
    assertThat(admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, xp).withLabel(Labels.COMPONENT, "router").list()
        .getItems()).as("router pods").hasSize(replicas).allMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
  }

  private static void awaitRouterServing(String xp) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .alias("router of " + xp + " ready (operator log under " + state + ")")
        .until(() -> readyRouterIp(xp) != null);
  }

  // ---- resources ----

  private static ExplorationExperiment experiment(String name) {
    return admin.resources(ExplorationExperiment.class).inNamespace(ns).withName(name).get();
  }

  private static Pod podOf(String owner, String componentPrefix) {
    return admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, owner).list().getItems().stream()
        .filter(p -> p.getMetadata().getLabels().getOrDefault(Labels.COMPONENT, "").startsWith(componentPrefix))
        .findFirst().orElseThrow(() -> new AssertionError("no " + componentPrefix + " pod of " + owner));
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T awaitReady(Class<T> kind, String name, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofSeconds(1))
        .alias(kind.getSimpleName() + " " + name + " Ready (operator log under " + state + ")")
        .until(() -> {
          T r = admin.resources(kind).inNamespace(ns).withName(name).get();
          return r != null && readyCondition(r);
        });
    return admin.resources(kind).inNamespace(ns).withName(name).get();
  }

  private static boolean readyCondition(Object resource) {
    for (JsonNode c : JSON.valueToTree(resource).path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  private static void apply(String yaml) {
    controlPlane.kubectlWithInput(yaml, "apply", "-n", ns, "-f", "-").requireSuccess();
  }

  private static String clusterSet() {
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

  private static String interestModel() {
    return """
        apiVersion: serendip.io/v1alpha1
        kind: InterestModel
        metadata: {name: novelty}
        spec:
          clusterSetRef: clusters
          engine: PyTorch
          artifact: {path: /artifacts/interest-model/v1}
          historyLength: 2
          candidates: 3
          resources: {cpu: 250m, memory: 1Gi}
          replicas: 1
          precompute: {shards: 2, parallelism: 2}
          gates: {minExactMatchRate: 0.9, minRecall: 0.015}
          storage: {hostPath: %s}
        """.formatted(artifacts);
  }

  private static String recommenderModel(String name) {
    return """
        apiVersion: serendip.io/v1alpha1
        kind: RecommenderModel
        metadata: {name: %s}
        spec:
          clusterSetRef: clusters
          interestModelRef: novelty
          engine: PyTorch
          artifact: {path: /artifacts/recommender/v1}
          resources: {cpu: 250m, memory: 1Gi}
          replicas: 1
          storage: {hostPath: %s}
        """.formatted(name, artifacts);
  }

  /** A fixed 50/50 split (no rollout steps): control on "rec", explore on {@code exploreRecommender}. */
  private static String staticSplit(String name, String exploreRecommender) {
    return experiment(name, exploreRecommender, "");
  }

  /** 50/50 on "rec", rolled out 50% -> pause -> 100%, with a positive-feedback guardrail every {@code interval}. */
  private static String experiment(String name, String interval) {
    return experiment(name, interval, 1);
  }

  private static String experiment(String name, String interval, int routerReplicas) {
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

  private static String experiment(String name, String exploreRecommender, String rolloutAndGuardrails) {
    return experiment(name, exploreRecommender, 1, rolloutAndGuardrails);
  }

  private static String experiment(String name, String exploreRecommender, int routerReplicas,
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

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
