package io.serendip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.serendip.kube.local.LocalControlPlane;
import io.serendip.kube.local.WithLocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `kubectl serendip ...` (hack/kubectl-serendip, found by kubectl on the PATH) against the real API
 * server: every verb edits the ExplorationExperiment spec as documented; status renders what is there.
 */
@WithLocalControlPlane
class KubectlPluginTest {
  static LocalControlPlane controlPlane;
  static KubernetesClient client;
  private String ns;

  @BeforeAll
  static void crds() {
    Cluster.installCrds(controlPlane);
  }

  @BeforeEach
  void experiment() {
    ns = controlPlane.createNamespace(client, "plugin");
    controlPlane.kubectl("apply", "-n", ns, "-f",
        Command.repo().resolve("examples/quickstart/30-exploration-experiment.yaml").toString());
  }

  private Command.Result plugin(String... args) {
    return Command.tool("kubectl", "serendip").args(args).args("-n", ns).against(controlPlane).run();
  }

  private JsonNode spec() {
    try {
      return Manifests.JSON.readTree(controlPlane.kubectl("get", "explorationexperiment", "quickstart", "-n", ns,
          "-o", "json")).path("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void pauseAndResume() {
    assertThat(plugin("pause", "quickstart").requireSuccess()).contains("explorationexperiment/quickstart: paused");
    assertThat(spec().path("paused").asBoolean()).isTrue();
    plugin("resume", "quickstart").requireSuccess();
    assertThat(spec().path("paused").asBoolean()).isFalse();
    assertThat(spec().has("action")).isFalse();
  }

  @Test
  void promoteFullSetsTheActionAndLiftsAPause() {
    plugin("pause", "quickstart").requireSuccess();
    assertThat(plugin("promote", "quickstart", "--full").requireSuccess()).contains("promoted to the final weights");
    assertThat(spec().path("action").asText()).isEqualTo("Promote");
    assertThat(spec().path("paused").asBoolean()).isFalse();
  }

  @Test
  void promoteEndsThePauseAtTheCurrentStepOnly() {
    Command.Result noStatus = plugin("promote", "quickstart");
    assertThat(noStatus.exitCode()).isEqualTo(1);
    assertThat(noStatus.stderr()).contains("no current step yet");
    controlPlane.kubectl("patch", "explorationexperiment", "quickstart", "-n", ns, "--subresource=status",
        "--type=merge", "-p", "{\"status\":{\"phase\":\"Paused\",\"currentStep\":1}}");
    plugin("pause", "quickstart").requireSuccess();
    assertThat(plugin("promote", "quickstart").requireSuccess()).contains("promoted past step 1");
    assertThat(spec().path("promotedStep").asInt()).isEqualTo(1);
    assertThat(spec().path("paused").asBoolean()).isFalse();
    assertThat(spec().has("action")).as("not a full promotion").isFalse();
  }

  @Test
  void abortThenResumeRemovesTheAbort() {
    assertThat(plugin("abort", "quickstart").requireSuccess()).contains("aborted");
    assertThat(spec().path("action").asText()).isEqualTo("Abort");
    plugin("resume", "quickstart").requireSuccess();
    assertThat(spec().has("action")).isFalse();
    // Only the two fields changed: the rest of the spec is what was applied.
    assertThat(spec().path("arms").size()).isEqualTo(2);
    assertThat(spec().path("assignment").path("salt").asText()).isEqualTo("2026-11");
  }

  @Test
  void editsAreAttributedToThePluginsFieldManager() {
    plugin("pause", "quickstart").requireSuccess();
    String managers = controlPlane.kubectl("get", "explorationexperiment", "quickstart", "-n", ns,
        "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}");
    assertThat(managers).contains("kubectl-serendip");
  }

  @Test
  void statusShowsSpecAndTheOperatorsStatus() {
    String before = plugin("status", "quickstart").requireSuccess();
    assertThat(before).contains("Name:         quickstart").contains("Phase:        -")
        .contains("control (control): final weight 50%, exploration share 0")
        .contains("explore: final weight 50%, exploration share 0.2");

    controlPlane.kubectl("patch", "explorationexperiment", "quickstart", "-n", ns, "--subresource=status",
        "--type=merge", "-p", """
            {"status":{"phase":"Aborted","currentStep":1,"weights":"control=100,explore=0",
             "abortReason":"explore: error rate 0.05 exceeds control by more than 0.01",
             "arms":[{"name":"explore","weight":0,"ready":true,"readyReplicas":2,
                      "metrics":{"requests":1200,"errorRate":"0.05","noveltyRate":"0.8","positiveFeedbackRate":"0.1"}}],
             "conditions":[{"type":"Degraded","status":"True","reason":"Aborted","message":"guardrail breached",
                            "lastTransitionTime":"2026-11-22T21:00:00Z"}]}}""");
    Command.Result aborted = plugin("status", "quickstart");
    assertThat(aborted.exitCode()).as("status is a CI gate: Aborted/Degraded exits 3").isEqualTo(3);
    String after = aborted.stdout();
    assertThat(after).contains("Phase:        Aborted").contains("Step:         1/3")
        .contains("Weights:      control=100,explore=0")
        .contains("Abort reason: explore: error rate 0.05 exceeds control by more than 0.01")
        .contains("explore: weight 0%, ready true (2 pods), requests 1200, errors 0.05, novelty 0.8")
        .contains("Degraded=True Aborted: guardrail breached");
  }

  @Test
  void getListsEveryKindAndWatchesOne() {
    assertThat(plugin("get").requireSuccess()).contains("quickstart");
    assertThat(plugin("get", "xp", "quickstart").requireSuccess()).contains("quickstart");
    controlPlane.kubectl("apply", "-n", ns, "-f",
        Command.repo().resolve("examples/quickstart/00-interest-cluster-set.yaml").toString());
    assertThat(plugin("get", "ics").requireSuccess()).contains("movielens");
    assertThat(plugin("get", "all").requireSuccess()).contains("interestclusterset.serendip.io/movielens")
        .contains("explorationexperiment.serendip.io/quickstart");
    // a live view: the first listing, then changes until the request ends
    Command.Result watched = plugin("get", "xp", "quickstart", "--watch", "--request-timeout=3s");
    assertThat(watched.stdout()).contains("quickstart");
    Command.Result unknown = plugin("get", "pods");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown kind 'pods'");
  }

  @Test
  void statusOfAModelShowsWhatServesAndGatesCiOnStalled() {
    controlPlane.kubectl("apply", "-n", ns, "-f",
        Command.repo().resolve("examples/quickstart/00-interest-cluster-set.yaml").toString());
    assertThat(plugin("status", "ics/movielens").requireSuccess()).contains("InterestClusterSet:   movielens")
        .contains("Status:       - (not reconciled yet)");
    controlPlane.kubectl("patch", "interestclusterset", "movielens", "-n", ns, "--subresource=status",
        "--type=merge", "-p", """
            {"status":{"artifactPath":"/artifacts/clusters/movielens/3f2a",
             "conditions":[{"type":"Stalled","status":"True","reason":"ImageUnavailable","message":"ErrImagePull",
                            "lastTransitionTime":"2026-11-22T21:00:00Z"}]}}""");
    Command.Result stalled = plugin("status", "ics/movielens");
    assertThat(stalled.exitCode()).as("a stuck object fails the pipeline").isEqualTo(3);
    assertThat(stalled.stdout()).contains("Artifact:     /artifacts/clusters/movielens/3f2a")
        .contains("Stalled=True ImageUnavailable: ErrImagePull");
    assertThat(plugin("status", "xp/quickstart").requireSuccess()).contains("Name:         quickstart");
  }

  @Test
  void helpIsAnAnswerNotAnError() {
    for (String help : new String[] {"--help", "help"}) {
      Command.Result result = plugin(help);
      assertThat(result.exitCode()).isZero();
      assertThat(result.stdout()).contains("kubectl serendip status").contains("exits 3 when Aborted or Degraded");
    }
  }

  @Test
  void retryRestartsOnlyAnAbortedRollout() {
    Command.Result notAborted = plugin("retry", "quickstart");
    assertThat(notAborted.exitCode()).isEqualTo(1);
    assertThat(notAborted.stderr()).contains("is not aborted");
    assertThat(spec().has("retry")).isFalse();
    plugin("abort", "quickstart").requireSuccess();
    controlPlane.kubectl("patch", "explorationexperiment", "quickstart", "-n", ns, "--subresource=status",
        "--type=merge", "-p", "{\"status\":{\"phase\":\"Aborted\",\"currentStep\":1}}");
    assertThat(plugin("retry", "quickstart").requireSuccess()).contains("retrying from the first step");
    assertThat(spec().has("action")).as("the Abort is gone").isFalse();
    assertThat(spec().path("retry").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void badUsageIsRefusedWithoutTouchingAnything() {
    Command.Result unknown = plugin("rollback", "quickstart");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown command 'rollback'");
    Command.Result noName = plugin("abort");
    assertThat(noName.exitCode()).isEqualTo(2);
    assertThat(noName.stderr()).contains("abort needs the name of an ExplorationExperiment");
    Command.Result missing = plugin("abort", "no-such-experiment");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("NotFound");
    assertThat(spec().has("action")).isFalse();
  }
}
