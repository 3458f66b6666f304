package io.serendip.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.serendip.operator.support.ContainerDiagnosis.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerDiagnosisTest {
  private static Pod pod(String name, ContainerStatus status) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().withContainerStatuses(status).endStatus().build();
  }

  private static ContainerStatus waiting(String reason, String message) {
    return new ContainerStatusBuilder().withName("server").withRestartCount(0)
        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
  }

  @Test
  void anImageMissingOnTheNodeIsReportedWithTheKubeletsMessage() {
    String kubelet = "Container image \"serendip/runtime:9.9\" is not present with pull policy of Never";
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-0", waiting("ErrImageNeverPull", kubelet)))))
        .contains(new Problem("ImageUnavailable", "pod rec-0: container server ErrImageNeverPull: " + kubelet));
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-1", waiting("ImagePullBackOff", "Back-off pulling image")))))
        .map(Problem::reason).contains("ImageUnavailable");
  }

  @Test
  void aCrashLoopNamesTheLastExitSuchAsAnOomKill() {
    ContainerStatus oom = new ContainerStatusBuilder(waiting("CrashLoopBackOff", "back-off 40s restarting failed container"))
        .withRestartCount(3)
        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
        .build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-2", oom)))).contains(new Problem("CrashLoopBackOff",
        "pod rec-2: container server CrashLoopBackOff: back-off 40s restarting failed container;"
            + " last exit OOMKilled (code 137), 3 restart(s)"));
  }

  @Test
  void aServerThatRefusedToStartIsReportedWithItsOwnReason() {
    ContainerStatus refused = new ContainerStatusBuilder(waiting("CrashLoopBackOff", "back-off 10s"))
        .withRestartCount(1)
        .withNewLastState().withNewTerminated().withExitCode(3).withReason("Error")
        .withMessage("refusing to start: recommender.device: gpu requested but the engine sees no GPU\n")
        .endTerminated().endLastState().build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-3", refused))).map(Problem::message)).contains(
        "pod rec-3: container server CrashLoopBackOff: back-off 10s; last exit Error (code 3): refusing to start:"
            + " recommender.device: gpu requested but the engine sees no GPU, 1 restart(s)");
  }

  @Test
  void startingRunningAndBriefWaitsAreNoProblem() {
    ContainerStatus running = new ContainerStatusBuilder().withName("server")
        .withNewState().withNewRunning().endRunning().endState().build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(
        pod("a", running), pod("b", waiting("ContainerCreating", null)), new PodBuilder().withNewMetadata()
            .withName("c").endMetadata().build()))).isEmpty();
  }
}
