package io.serendip.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.serendip.operator.workload.DeploymentReadiness;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingConditionsTest {
  private static final Pod OOM_LOOPING = new PodBuilder().withNewMetadata().withName("rec-new").endMetadata()
      .withNewStatus().addNewContainerStatus().withName("server").withRestartCount(3).withReady(false)
      .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 40s").endWaiting().endState()
      .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
      .endContainerStatus().endStatus().build();

  private static List<Condition> applied(DeploymentReadiness serving, List<Pod> pods) {
    Conditions c = new Conditions(List.of(), 1, Instant.EPOCH);
    ServingConditions.applied(c, serving, pods, true, "");
    return c.build();
  }

  private static Condition get(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).orElseThrow();
  }

  @Test
  void anUpdateWhoseNewPodsCannotRunStallsWhileThePreviousPodsKeepServing() {
    // One replica wanted; the old pod ready, the new template's pod OOM-killed in a loop (status.replicas 2).
    List<Condition> c = applied(new DeploymentReadiness(1, 1, true, true), List.of(OOM_LOOPING));
    assertThat(get(c, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(get(c, Conditions.READY).getMessage()).startsWith("1/1 servers ready (previous version); the update is stuck");
    assertThat(get(c, Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(get(c, Conditions.STALLED).getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(get(c, Conditions.STALLED).getMessage()).contains("last exit OOMKilled (code 137)");
  }

  @Test
  void aRolledOutDeploymentIsNotDiagnosedAndNoServingPodIsNotReady() {
    List<Condition> rolledOut = applied(new DeploymentReadiness(1, 1, true, false), List.of(OOM_LOOPING));
    assertThat(get(rolledOut, Conditions.READY).getReason()).isEqualTo("Available");
    assertThat(get(rolledOut, Conditions.STALLED).getStatus()).isEqualTo("False");
    List<Condition> down = applied(new DeploymentReadiness(1, 0, false, false), List.of(OOM_LOOPING));
    assertThat(get(down, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(get(down, Conditions.READY).getReason()).isEqualTo("CrashLoopBackOff");
  }
}
