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
  void aClaimThatIsMissingOrUnboundIsTheStoragesProblem() {
    String scheduler = "0/3 nodes are available: persistentvolumeclaim \"artifacts\" not found. preemption: 0/3 nodes"
        + " are available: 3 Preemption is not helpful for scheduling.";
    Pod pending = new PodBuilder().withNewMetadata().withName("build-0").endMetadata()
        .withNewSpec().addNewContainer().withName("job").withNewResources()
        .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1")).endResources().endContainer()
        .endSpec()
        .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage(scheduler).endCondition().endStatus().build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pending))).contains(new Problem("StorageUnavailable",
        "pod build-0 cannot be scheduled for its artifact volume: " + scheduler));
    assertThat(GpuDiagnosis.unschedulableGpuPod(List.of(pending))).as("not a GPU shortage").isEmpty();
    // a claim that exists but is not bound, and no volume can bind it
    String unbound = "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3"
        + " nodes are available: 3 Preemption is not helpful for scheduling.";
    pending.getStatus().getConditions().get(0).setMessage(unbound);
    assertThat(ContainerDiagnosis.firstProblem(List.of(pending))).contains(new Problem("StorageUnavailable",
        "pod build-0 cannot be scheduled for its artifact volume: " + unbound));
  }

  @Test
  void aStorageInitializerThatFailedNamesTheStoresAnswer() {
    String said = "storage-initializer: access to s3://models/x on http://10.0.0.9:9000 denied (SignatureDoesNotMatch):"
        + " check the access key in the storage Secret";
    ContainerStatus init = new ContainerStatusBuilder().withName("storage-initializer")
        .withNewState().withNewTerminated().withExitCode(1).withReason("Error").withMessage(said + "\n")
        .endTerminated().endState().build();
    Pod job = new PodBuilder().withNewMetadata().withName("train-0").endMetadata()
        .withNewStatus().withPhase("Failed").withInitContainerStatuses(init).endStatus().build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(job))).contains(new Problem("StorageUnavailable",
        "pod train-0: " + said));
    assertThat(ContainerDiagnosis.failedContainer(List.of(job))).contains(
        "pod train-0: container storage-initializer exited Error (code 1): " + said);
    // a server's initializer restarts in place: the kubelet's crash loop, reported as the storage's problem
    ContainerStatus looping = new ContainerStatusBuilder(waiting("CrashLoopBackOff", "back-off 20s"))
        .withName("storage-initializer").withRestartCount(2)
        .withNewLastState().withNewTerminated().withExitCode(1).withMessage(said).endTerminated().endLastState().build();
    Pod server = new PodBuilder().withNewMetadata().withName("rec-9").endMetadata()
        .withNewStatus().withInitContainerStatuses(looping).endStatus().build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(server))).map(Problem::reason).contains("StorageUnavailable");
  }

  @Test
  void startingRunningAndBriefWaitsAreNoProblem() {
    ContainerStatus running = new ContainerStatusBuilder().withName("server")
        .withNewState().withNewRunning().endRunning().endState().build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(
        pod("a", running), pod("b", waiting("ContainerCreating", null)), new PodBuilder().withNewMetadata()
            .withName("c").endMetadata().build()))).isEmpty();
  }

  @Test
  void aFailedJobIsExplainedByItsFailedContainer() {
    ContainerStatus succeeded = new ContainerStatusBuilder().withName("job")
        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState().build();
    ContainerStatus oom = new ContainerStatusBuilder().withName("job")
        .withNewState().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated().endState().build();
    ContainerStatus gates = new ContainerStatusBuilder().withName("job")
        .withNewState().withNewTerminated().withExitCode(1).withReason("Error")
        .withMessage("merging 2 shards\ngates failed: exact-match 0.78 < 0.90\n").endTerminated().endState().build();
    assertThat(ContainerDiagnosis.failedContainer(List.of(pod("ok", succeeded), pod("build-x", oom))))
        .contains("pod build-x: container job exited OOMKilled (code 137)");
    assertThat(ContainerDiagnosis.failedContainer(List.of(pod("merge-y", gates))))
        .contains("pod merge-y: container job exited Error (code 1): gates failed: exact-match 0.78 < 0.90");
    assertThat(ContainerDiagnosis.failedContainer(List.of(pod("ok", succeeded)))).isEmpty();
  }

  @Test
  void aContainerStartingAgainAfterAnOomKillOrRepeatedFailuresIsStillAProblemUntilItIsReady() {
    ContainerStatus restarting = new ContainerStatusBuilder().withName("server").withRestartCount(2).withReady(false)
        .withNewState().withNewRunning().endRunning().endState()
        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
        .build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-4", restarting)))).contains(new Problem("OOMKilled",
        "pod rec-4: container server restarting after OOMKilled (code 137), 2 restart(s); raise its memory limit"));
    ContainerStatus recovered = new ContainerStatusBuilder(restarting).withReady(true).build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-4", recovered)))).isEmpty();
    // Killed by its liveness probe twice: a loop; once: a restart doing its job.
    ContainerStatus killedTwice = new ContainerStatusBuilder(restarting)
        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(137).endTerminated().endLastState()
        .build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-5", killedTwice)))).contains(new Problem(
        "CrashLoopBackOff", "pod rec-5: container server restarting after Error (code 137), 2 restart(s)"));
    ContainerStatus killedOnce = new ContainerStatusBuilder(killedTwice).withRestartCount(1).build();
    assertThat(ContainerDiagnosis.firstProblem(List.of(pod("rec-5", killedOnce)))).isEmpty();
  }
}
