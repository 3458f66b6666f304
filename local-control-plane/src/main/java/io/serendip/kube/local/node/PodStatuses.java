package io.serendip.kube.local.node;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/** Pure mapping from what a pod's process is doing to the pod status a kubelet would report. */
final class PodStatuses {
  private PodStatuses() {}

  static PodStatus of(Pod pod, PodProcess p, String hostIp) {
    String container = pod.getSpec().getContainers().get(0).getName();
    String image = pod.getSpec().getContainers().get(0).getImage();
    boolean ready = p.ready();
    String phase = p.completed() ? (p.exitCode() == 0 ? "Succeeded" : "Failed") : "Running";
    ContainerStatusBuilder cs = new ContainerStatusBuilder()
        .withName(container).withImage(image).withImageID("")
        .withReady(ready).withStarted(p.running()).withRestartCount(p.restarts());
    if (p.running()) {
      cs.withNewState().withNewRunning().withStartedAt(time(p.startedAt())).endRunning().endState();
    } else if (p.waitingToRestart()) {
      cs.withNewState().withNewWaiting().withReason("CrashLoopBackOff")
          .withMessage("exited with code " + p.exitCode() + "; log: " + p.log()).endWaiting().endState();
    } else if (p.exitCode() != null) {
      cs.withNewState().withNewTerminated().withExitCode(p.exitCode())
          .withReason(p.exitCode() == 0 ? "Completed" : "Error")
          .withStartedAt(time(p.startedAt())).withFinishedAt(time(p.finishedAt())).endTerminated().endState();
    } else {
      cs.withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState();
    }
    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP(hostIp).withHostIPs(new io.fabric8.kubernetes.api.model.HostIP(hostIp))
        .withPodIP(p.ip).withPodIPs(new PodIP(p.ip))
        .withStartTime(time(p.scheduledAt))
        .withConditions(conditions(ready, p))
        .withContainerStatuses(List.of(cs.build()))
        .build();
  }

  private static List<PodCondition> conditions(boolean ready, PodProcess p) {
    String r = ready ? "True" : "False";
    String since = time(p.scheduledAt);
    return List.of(
        condition("PodScheduled", "True", since),
        condition("Initialized", "True", since),
        condition("ContainersReady", r, since),
        condition("Ready", r, since));
  }

  private static PodCondition condition(String type, String status, String since) {
    return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(since).build();
  }

  /** A pod this node cannot run, reported as failed with the reason, as a kubelet rejects a pod. */
  static PodStatus rejected(String reason, String message) {
    return new PodStatusBuilder().withPhase("Failed").withReason(reason).withMessage(message).build();
  }

  /** A pod waiting for something (a missing configMap), as kubelet reports ContainerCreating. */
  static PodStatus pending(Pod pod, String message) {
    return new PodStatusBuilder().withPhase("Pending")
        .withConditions(condition("PodScheduled", "True", time(Instant.now())))
        .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
            .withImage(pod.getSpec().getContainers().get(0).getImage()).withImageID("").withReady(false)
            .withRestartCount(0).withNewState().withNewWaiting().withReason("ContainerCreating").withMessage(message)
            .endWaiting().endState().build())
        .build();
  }

  private static String time(Instant t) {
    return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
