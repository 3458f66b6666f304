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
 * Rollouts driven by real traffic on the real node ({@link ServingStack}): the pipeline Jobs ran as the operator
 * wrote them; the operator reads every router replica's stats, advances one rollout to 100% and aborts another on
 * its positive-feedback guardrail, and converges after being SIGKILLed mid-rollout with the API server restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealTrafficRolloutTest {
  @BeforeAll
  static void startStack() throws Exception {
    ServingStack.start();
  }

  @AfterAll
  static void deleteExperiments() {
    delete("explorationexperiment", "advance", "abort", "resilient");
    release(RealTrafficRolloutTest.class);
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
    // either router replica; the operator judges what both counted in each step's window.
    drive("advance", 600, true, xp -> "Completed".equals(xp.getStatus().phase));
    ExplorationExperiment xp = experiment("advance");
    assertThat(xp.getStatus().weights).contains("explore=50");
    assertThat(xp.getStatus().abortReason).isNull();
    long judged = xp.getStatus().arms.stream().filter(a -> a.name.equals("explore")).findFirst().orElseThrow()
        .metrics.impressions;
    long total = 0;
    for (Pod router : routerPods("advance")) {
      total += statsOf(router).path("arms").path("explore").path("impressions").asLong();
    }
    // The last judged window: enough samples to judge, and never more than the replicas counted in all (the
    // weights gave explore traffic only from the first step on, so the first step's window can hold all of it).
    assertThat(judged).as("explore impressions of the last judged step window (replicas counted %d)", total)
        .isGreaterThanOrEqualTo(300).isLessThanOrEqualTo(total);
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

  /**
   * Feedback through the real router pods: a slate served by one replica, its click sent to the other, which passes
   * it to the serving one over the pod network; a replay is refused by either replica, an invented id too, and
   * nothing refused is counted.
   */
  @Test
  @Order(3)
  void feedbackNamesAServedSlateOnceWhicheverReplicaItReaches() throws Exception {
    List<Pod> routers = routerPods("advance");
    assertThat(routers).hasSize(2);
    Pod serving = routers.get(0);
    Pod other = routers.get(1);
    ObjectNode request = JSON.createObjectNode().put("user", "feedback-user").put("k", 10);
    request.set("history", JSON.createArrayNode().add(itemIds.get(0)).add(itemIds.get(1)));
    HttpResponse<String> served = postTo(serving, "/v1/recommend", request);
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    JsonNode slate = JSON.readTree(served.body());
    String requestId = slate.path("requestId").asText();
    assertThat(served.headers().firstValue("X-Serendip-Request-Id")).contains(requestId);
    ObjectNode click = JSON.createObjectNode().put("requestId", requestId).put("type", "click");
    click.set("items", JSON.createArrayNode().add(JSON.createObjectNode()
        .put("id", slate.path("items").path(0).path("id").asText())
        .put("explored", slate.path("items").path(0).path("explored").asBoolean())));
    String arm = slate.path("arm").asText();
    long before = statsOf(serving).path("arms").path(arm).path("positiveFeedback").asLong()
        + statsOf(other).path("arms").path(arm).path("positiveFeedback").asLong();

    HttpResponse<String> first = postTo(other, "/v1/events", click);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(JSON.readTree(first.body()).path("counted").asBoolean()).isTrue();
    for (Pod replica : routers) {
      HttpResponse<String> replay = postTo(replica, "/v1/events", click);
      assertThat(replay.statusCode()).as(replica.getMetadata().getName() + " " + replay.body()).isEqualTo(409);
    }
    ObjectNode invented = click.deepCopy().put("requestId", requestId.substring(0, requestId.indexOf('.')) + ".AAAA");
    assertThat(postTo(other, "/v1/events", invented).statusCode()).isEqualTo(400);
    long after = statsOf(serving).path("arms").path(arm).path("positiveFeedback").asLong()
        + statsOf(other).path("arms").path(arm).path("positiveFeedback").asLong();
    assertThat(after - before).as("counted once, by the replica that served the slate").isEqualTo(1);
    String otherMetrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + other.getStatus().getPodIP()
        + ":8080/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(otherMetrics).contains("outcome=\"forwarded\"");
  }

  private static HttpResponse<String> postTo(Pod router, String path, JsonNode body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + router.getStatus().getPodIP() + ":8080" + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(4)
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
  @Order(5)
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
}
