package io.serendip.e2e;

import static io.serendip.e2e.ServingStack.*;
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
 * Serving faults on the real node ({@link ServingStack}), each asserting that no request fails and nothing is
 * lost, and printing one {@code [observed]} line for docs/robustness.md: an arm's backend container SIGKILLed,
 * a corrupt novelty table, the router's pod replaced under load, an OOM-killed recommender, a hung recommender
 * restarted by its liveness probe, containerd restarted under load, and a router pod deleted mid-rollout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeFaultsTest {
  @BeforeAll
  static void startStack() throws Exception {
    ServingStack.start();
  }

  @AfterAll
  static void deleteWhatTheFaultsMade() {
    delete("explorationexperiment", "faults", "ramp");
    delete("pod", "after-containerd-restart");
    delete("recommendermodel", "rec-b");
    release(RealNodeFaultsTest.class);
  }


  @Test
  @Order(1)
  void anArmsBackendKilledFallsBackToControlAndRecovers() throws Exception {
    apply(recommenderModel("rec-b"));
    awaitReady(RecommenderModel.class, "rec-b", Duration.ofMinutes(6));
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
  @Order(2)
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

  /**
   * The router's pod replaced (a new template: its CPU request changed) while a client sends recommend requests
   * through the router's Service without pause, on keep-alive connections: the new pod starts, the old one leaves
   * the endpoints, keeps serving through its preStop pause, then drains and closes its connections; no request
   * fails.
   */
  @Test
  @Order(3)
  void aRouterRollingUpdateUnderLoadFailsNoRequest() throws Exception {
    assertRouterRolledOut("faults");
    String service = "http://" + admin.services().inNamespace(ns).withName("faults-router").get().getSpec()
        .getClusterIP() + ":8080";
    String before = podOf("faults", "router").getMetadata().getName();
    ServiceLoad load = ServiceLoad.start(service, users("rolling-", 500), itemIds, 11);
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> load.answered() > 50);
      controlPlane.kubectl("patch", "-n", ns, "explorationexperiment", "faults", "--type", "merge",
          "-p", "{\"spec\":{\"router\":{\"cpu\":\"110m\"}}}");
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertRouterRolledOut("faults");
        assertThat(podOf("faults", "router").getMetadata().getName()).isNotEqualTo(before);
        assertThat(admin.pods().inNamespace(ns).withName(before).get()).as("the old router pod is gone").isNull();
      });
      int atSwitch = load.answered();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.answered() > atSwitch + 50); // the new pod serves
    } finally {
      load.close();
    }
    observe("router rolled (new template) under load through its Service: %d requests answered 200 in %.1f s, "
        + "%d failed", load.answered(), load.seconds(), load.failures().size());
    assertThat(load.failures()).as("requests that failed while the router rolled").isEmpty();
  }

  /**
   * rec-b redeployed with a JVM heap larger than its memory limit (a common misconfiguration: {@code -Xmx} set
   * through {@code JAVA_TOOL_OPTIONS} above the container's limit; the heap is touched at start): the kernel
   * OOM-kills the new pod again and again, while the Deployment keeps the previous pod serving. The
   * RecommenderModel stays Ready and is Stalled with the kubelet's reason; explore users keep being served by
   * explore; the settings put back, the Deployment returns to the previous template and the OOM-killed pod goes.
   */
  @Test
  @Order(4)
  void anOomKilledRecommenderStallsItsUpdateWhileThePreviousPodKeepsServing() throws Exception {
    String previous = podOf("rec-b", "recommender").getMetadata().getName();
    ServiceLoad load = ServiceLoad.start(routerService("faults"), usersAssignedTo("faults", "explore", 20), itemIds, 13);
    long patched;
    double reported;
    String stalledMessage;
    Pod killed;
    try {
      controlPlane.kubectl("patch", "-n", ns, "recommendermodel", "rec-b", "--type", "merge", "-p", """
          {"spec": {"resources": {"memory": "192Mi"}, "pod": {"env": [{"name": "JAVA_TOOL_OPTIONS",
           "value": "-Xms256m -Xmx256m -XX:+AlwaysPreTouch"}]}}}""");
      patched = System.nanoTime();
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        JsonNode stalled = condition(recommender("rec-b"), "Stalled");
        assertThat(stalled.path("status").asText()).as("Stalled: %s", stalled).isEqualTo("True");
        assertThat(stalled.path("message").asText()).contains("OOMKilled");
      });
      reported = seconds(patched, System.nanoTime());
      stalledMessage = condition(recommender("rec-b"), "Stalled").path("message").asText();
      assertThat(readyCondition(recommender("rec-b"))).as("the previous pod keeps rec-b Ready").isTrue();
      killed = admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, "rec-b").withLabel(Labels.COMPONENT, "recommender")
          .list().getItems().stream()
          .filter(p -> !p.getMetadata().getName().equals(previous)).findFirst().orElseThrow();
      var last = killed.getStatus().getContainerStatuses().get(0).getLastState().getTerminated();
      assertThat(last.getReason()).as("the kernel's OOM killer ended it").isEqualTo("OOMKilled");
      assertThat(last.getExitCode()).isEqualTo(137);
      assertThat(admin.pods().inNamespace(ns).withName(previous).get().getStatus().getContainerStatuses().get(0)
          .getReady()).as("the previous pod still serves").isTrue();

      controlPlane.kubectl("patch", "-n", ns, "recommendermodel", "rec-b", "--type", "merge",
          "-p", "{\"spec\": {\"resources\": {\"memory\": \"1Gi\"}, \"pod\": null}}");
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(condition(recommender("rec-b"), "Stalled").path("status").asText()).isEqualTo("False");
        assertThat(readyCondition(recommender("rec-b"))).isTrue();
        // The old template again: the Deployment keeps the pod that never stopped serving, the OOM-killed one goes.
        assertThat(admin.pods().inNamespace(ns).withName(killed.getMetadata().getName()).get())
            .as("the OOM-killed pod").isNull();
        assertThat(admin.pods().inNamespace(ns).withLabel(Labels.INSTANCE, "rec-b").withLabel(Labels.COMPONENT, "recommender")
            .list().getItems())
            .singleElement().satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo(previous));
      });
      int atRecovery = load.answeredBy("explore");
      await().atMost(Duration.ofMinutes(1)).until(() -> load.answeredBy("explore") > atRecovery);
    } finally {
      load.close();
    }
    observe("rec-b redeployed with a 256 MiB heap in a 192Mi limit: its new pod OOM-killed (exit 137), rec-b Stalled %.1f s later "
        + "(\"%s\") and still Ready; %d requests of explore users through the router meanwhile (%d by explore), "
        + "%d failed; settings restored, the OOM-killed pod removed", reported, stalledMessage, load.answered(),
        load.answeredBy("explore"), load.failures().size());
    assertThat(load.failures()).as("requests that failed while rec-b's update was stuck").isEmpty();
  }

  /**
   * rec-b's process frozen (SIGSTOP: a deadlock, a stuck native call): its readiness probe takes it out of its
   * Service, its liveness probe gets the kubelet to kill and restart it. Explore users are answered by control
   * meanwhile (the router's fallback, then the operator's ready-only weights), and by explore again afterwards.
   */
  @Test
  @Order(5)
  void aHungRecommenderIsRestartedByItsLivenessProbe() throws Exception {
    awaitReady(RecommenderModel.class, "rec-b", Duration.ofMinutes(2));
    Pod backend = podOf("rec-b", "recommender");
    int restartsBefore = restartCount(backend);
    ServiceLoad load = ServiceLoad.start(routerService("faults"), usersAssignedTo("faults", "explore", 20), itemIds, 17);
    long hung;
    double restartedAfter;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.answeredBy("explore") > 10);
      controlPlane.hang(backend.getStatus().getContainerStatuses().get(0).getContainerID());
      hung = System.nanoTime();
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .until(() -> restartCount(backend) > restartsBefore);
      restartedAfter = seconds(hung, System.nanoTime());
      int atRestart = load.answeredBy("explore");
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> load.answeredBy("explore") > atRestart + 10);
    } finally {
      load.close();
    }
    String events = controlPlane.kubectl("get", "events", "-n", ns, "--field-selector",
        "involvedObject.name=" + backend.getMetadata().getName());
    assertThat(events).as("the kubelet's reason for the restart").contains("Liveness probe failed");
    observe("rec-b's process frozen (SIGSTOP): the kubelet restarted it %.1f s later after its liveness probe "
        + "failed; %d requests of explore users through the router, %d by control meanwhile, %d failed; explore "
        + "serving again %.1f s after the freeze", restartedAfter, load.answered(), load.answeredBy("control"),
        load.failures().size(), seconds(hung, System.nanoTime()));
    assertThat(load.failures()).as("requests that failed while rec-b hung").isEmpty();
    assertThat(load.answeredBy("control")).as("explore users served by control while rec-b hung").isPositive();
  }

  /**
   * containerd stopped and started again under load: running containers outlive it (their shims keep them), the
   * kubelet reconnects to its socket, and the node starts new pods afterwards.
   */
  @Test
  @Order(6)
  void containerdRestartedUnderLoadFailsNoRequest() throws Exception {
    awaitReady(RecommenderModel.class, "rec-b", Duration.ofMinutes(2));
    java.util.Map<String, String> containersBefore = containerIds();
    ServiceLoad load = ServiceLoad.start(routerService("faults"), users("containerd-", 300), itemIds, 19);
    double restartSeconds;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.answered() > 50);
      long t0 = System.nanoTime();
      controlPlane.restartNodeComponent("containerd");
      restartSeconds = seconds(t0, System.nanoTime());
      int atRestart = load.answered();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.answered() > atRestart + 50);
    } finally {
      load.close();
    }
    assertThat(containerIds()).as("every container kept running through the restart").isEqualTo(containersBefore);
    // The kubelet runs new pods through the new containerd.
    apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: after-containerd-restart}
        spec:
          restartPolicy: Never
          securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
          containers:
          - name: runtime
            image: %s
            imagePullPolicy: Never
            args: ["--version"]
            securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
        """.formatted(RealNode.image("runtime")));
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
        "Succeeded".equals(admin.pods().inNamespace(ns).withName("after-containerd-restart").get().getStatus().getPhase()));
    observe("containerd restarted (stop, start, healthy in %.1f s) under load through the router's Service: %d "
        + "requests answered 200 in %.1f s, %d failed; all %d containers kept running; a new pod ran afterwards",
        restartSeconds, load.answered(), load.seconds(), load.failures().size(), containersBefore.size());
    assertThat(load.failures()).as("requests that failed while containerd restarted").isEmpty();
  }

  /** Every running container of the namespace's pods, by pod and container name. */
  private static java.util.Map<String, String> containerIds() {
    java.util.Map<String, String> ids = new java.util.TreeMap<>();
    for (Pod pod : admin.pods().inNamespace(ns).list().getItems()) {
      if (pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      pod.getStatus().getContainerStatuses().stream().filter(c -> c.getState().getRunning() != null)
          .forEach(c -> ids.put(pod.getMetadata().getName() + "/" + c.getName(), c.getContainerID()));
    }
    return ids;
  }

  /**
   * One of two router pods deleted while a rollout is at its first step and a client sends requests through the
   * router's Service: the pod drains (preStop pause, then Connection: close), the Deployment replaces it, the
   * new pod loads the current weights, and the rollout completes.
   */
  @Test
  @Order(7)
  void aRouterPodDeletedMidRolloutFailsNoRequestAndTheRolloutCompletes() throws Exception {
    apply(experiment("ramp", "2s", 2));
    awaitRouterServing("ramp");
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertRouterRolledOut("ramp"));
    drive("ramp", 300, true, xp -> xp.getStatus() != null && xp.getStatus().currentStep != null
        && xp.getStatus().currentStep >= 1);
    String victim = routerPods("ramp").get(0).getMetadata().getName();
    ServiceLoad load = ServiceLoad.start(routerService("ramp"), users("ramp-load-", 300), itemIds, 23);
    long deleted;
    double replaced;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.answered() > 50);
      controlPlane.kubectl("delete", "pod", "-n", ns, victim, "--wait=false");
      deleted = System.nanoTime();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertRouterRolledOut("ramp");
        assertThat(admin.pods().inNamespace(ns).withName(victim).get()).as("the deleted pod is gone").isNull();
      });
      replaced = seconds(deleted, System.nanoTime());
      drive("ramp", 900, true, xp -> "Completed".equals(xp.getStatus().phase));
    } finally {
      load.close();
    }
    ExplorationExperiment xp = experiment("ramp");
    assertThat(xp.getStatus().weights).contains("explore=50");
    // Once the kubelet has synced the ConfigMap volume (its sync period), every router serves the last weights.
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      for (Pod router : routerPods("ramp")) {
        assertThat(statsOf(router).path("configRevision").asText()).as("every router serves the last weights")
            .isEqualTo(experiment("ramp").getStatus().routerConfigRevision);
      }
    });
    observe("one of two router pods deleted at rollout step %d under load through the Service: replaced and "
        + "ready %.1f s later; %d requests answered 200 in %.1f s, %d failed; rollout Completed", 1, replaced,
        load.answered(), load.seconds(), load.failures().size());
    assertThat(load.failures()).as("requests that failed while a router pod was deleted").isEmpty();
  }

  /**
   * An operator configured with a runtime image the node does not have (and cannot pull: the registry's name is
   * in the reserved .invalid domain, and the node has no route out): the InterestClusterSet's build Job pod waits
   * on the image, and the InterestClusterSet says so with the kubelet's reason instead of "Building" forever.
   */
  @Test
  @Order(8)
  void aMissingImageShowsTheKubeletsReasonInTheOwnersConditions() throws Exception {
    String other = controlPlane.createNamespace(admin, "missing-image");
    String image = "serendip.invalid/serendip/runtime:0.0.0-missing";
    try (OperatorProcess wrongImage = OperatorProcess.start(controlPlane, serviceNames.file(), image, other,
        state.resolve("operator-missing-image.log"))) {
      controlPlane.kubectlWithInput(clusterSet(), "apply", "-n", other, "-f", "-").requireSuccess();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        InterestClusterSet cs = admin.resources(InterestClusterSet.class).inNamespace(other).withName("clusters").get();
        JsonNode ready = condition(cs, "Ready");
        assertThat(ready.path("reason").asText()).as("Ready: %s", ready).isEqualTo("ImageUnavailable");
        assertThat(ready.path("message").asText()).contains(image);
        assertThat(condition(cs, "Stalled").path("status").asText()).isEqualTo("True");
      });
      JsonNode ready = condition(admin.resources(InterestClusterSet.class).inNamespace(other).withName("clusters").get(),
          "Ready");
      observe("runtime image missing on the node: InterestClusterSet Ready=False %s: %s",
          ready.path("reason").asText(), ready.path("message").asText());
    } finally {
      admin.namespaces().withName(other).delete();
    }
  }

  private static RecommenderModel recommender(String name) {
    return admin.resources(RecommenderModel.class).inNamespace(ns).withName(name).get();
  }
}