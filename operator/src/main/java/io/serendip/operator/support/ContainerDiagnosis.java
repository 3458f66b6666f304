package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a server pod that the kubelet cannot run and returns the kubelet's own reason and message, so the owner
 * reports "image missing on the node" or "OOM-killed, restarting" instead of a bare "0/1 servers ready".
 */
public final class ContainerDiagnosis {
  private ContainerDiagnosis() {}

  /** What the owner's Ready condition says: a condition reason and a message naming pod, container and cause. */
  public record Problem(String reason, String message) {}

  /** The kubelet's waiting reasons that no wait cures, by the condition reason the owner reports. */
  private static final Map<String, String> REASONS = Map.of(
      "ErrImagePull", "ImageUnavailable",
      "ImagePullBackOff", "ImageUnavailable",
      "ErrImageNeverPull", "ImageUnavailable",
      "InvalidImageName", "ImageUnavailable",
      "CreateContainerConfigError", "ContainerConfigError",
      "CreateContainerError", "ContainerConfigError",
      "CrashLoopBackOff", "CrashLoopBackOff");

  /** The reason of every problem of the storage initializer, or of a pod whose claim is missing or unbound. */
  public static final String STORAGE_UNAVAILABLE = "StorageUnavailable";
  private static final String STORAGE_INITIALIZER = "storage-initializer";

  public static Optional<Problem> firstProblem(Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      Optional<Problem> claim = unschedulableForItsClaim(pod);
      if (claim.isPresent()) {
        return claim;
      }
      Optional<Problem> initializer = storageInitializerFailed(pod);
      if (initializer.isPresent()) {
        return initializer;
      }
      for (ContainerStatus status : statuses(pod)) {
        ContainerStateWaiting waiting = status.getState() == null ? null : status.getState().getWaiting();
        if (waiting == null || !REASONS.containsKey(waiting.getReason())) {
          Optional<Problem> restarting = restartingAfterFailure(pod, status);
          if (restarting.isPresent()) {
            return restarting;
          }
          continue;
        }
        StringBuilder message = new StringBuilder("pod ").append(pod.getMetadata().getName()).append(": container ")
            .append(status.getName()).append(' ').append(waiting.getReason());
        if (waiting.getMessage() != null && !waiting.getMessage().isBlank()) {
          message.append(": ").append(waiting.getMessage().strip());
        }
        ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
        if (last != null) {
          message.append("; last exit ").append(last.getReason() == null ? "Error" : last.getReason())
              .append(" (code ").append(last.getExitCode()).append(')');
          String said = lastLine(last.getMessage());
          if (!said.isEmpty()) {
            message.append(": ").append(said);
          }
        }
        if (status.getRestartCount() != null && status.getRestartCount() > 0) {
          message.append(", ").append(status.getRestartCount()).append(" restart(s)");
        }
        return Optional.of(new Problem(STORAGE_INITIALIZER.equals(status.getName()) ? STORAGE_UNAVAILABLE
            : REASONS.get(waiting.getReason()), message.toString()));
      }
    }
    return Optional.empty();
  }

  /**
   * A pod the scheduler cannot place because of its PersistentVolumeClaim: the claim does not exist, or it is not
   * bound and no volume can bind it. The scheduler's message names the claim.
   */
  private static Optional<Problem> unschedulableForItsClaim(Pod pod) {
    if (pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason()) && c.getMessage() != null
            && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("persistentvolumeclaim"))
        .findFirst()
        .map(c -> new Problem(STORAGE_UNAVAILABLE, "pod " + pod.getMetadata().getName()
            + " cannot be scheduled for its artifact volume: " + c.getMessage().strip()));
  }

  /**
   * A Job pod (never restarted in place) whose storage initializer failed: the store refused or lacks an input. The
   * Job retries it with back-off; the initializer's own line names the cause.
   */
  private static Optional<Problem> storageInitializerFailed(Pod pod) {
    if (pod.getStatus().getInitContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus status : pod.getStatus().getInitContainerStatuses()) {
      ContainerStateTerminated done = status.getState() == null ? null : status.getState().getTerminated();
      if (STORAGE_INITIALIZER.equals(status.getName()) && done != null && done.getExitCode() != null
          && done.getExitCode() != 0) {
        String said = lastLine(done.getMessage());
        return Optional.of(new Problem(STORAGE_UNAVAILABLE, "pod " + pod.getMetadata().getName() + ": "
            + (said.isEmpty() ? "the storage initializer exited with code " + done.getExitCode() : said)));
      }
    }
    return Optional.empty();
  }

  /**
   * A container starting again (not ready yet) after it was OOM-killed, or after failing more than once (e.g. killed
   * by its liveness probe): between crash-loop back-offs it looks like any starting container, but the problem is
   * the same.
   */
  private static Optional<Problem> restartingAfterFailure(Pod pod, ContainerStatus status) {
    ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    if (Boolean.TRUE.equals(status.getReady()) || last == null || last.getExitCode() == null || last.getExitCode() == 0) {
      return Optional.empty();
    }
    boolean oom = "OOMKilled".equals(last.getReason());
    if (!oom && restarts < 2) {
      return Optional.empty(); // one crash and a restart is what restartPolicy is for
    }
    return Optional.of(new Problem(oom ? "OOMKilled" : "CrashLoopBackOff", "pod " + pod.getMetadata().getName()
        + ": container " + status.getName() + " restarting after " + (last.getReason() == null ? "Error" : last.getReason())
        + " (code " + last.getExitCode() + "), " + restarts + " restart(s)" + (oom ? "; raise its memory limit" : "")));
  }

  /**
   * Why a Job failed, in the kubelet's words: the first pod whose container terminated unsuccessfully, with its
   * reason (e.g. OOMKilled), exit code and the last line of its termination message.
   */
  public static Optional<String> failedContainer(Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      for (ContainerStatus status : statuses(pod)) {
        ContainerStateTerminated done = status.getState() == null ? null : status.getState().getTerminated();
        if (done == null || done.getExitCode() == null || done.getExitCode() == 0) {
          continue;
        }
        StringBuilder message = new StringBuilder("pod ").append(pod.getMetadata().getName()).append(": container ")
            .append(status.getName()).append(" exited ").append(done.getReason() == null ? "Error" : done.getReason())
            .append(" (code ").append(done.getExitCode()).append(')');
        String said = lastLine(done.getMessage());
        if (!said.isEmpty()) {
          message.append(": ").append(said);
        }
        return Optional.of(message.toString());
      }
    }
    return Optional.empty();
  }

  /** The pod's init containers' statuses, then its containers'. */
  private static List<ContainerStatus> statuses(Pod pod) {
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    return statuses;
  }

  /** The last non-blank line of a termination message (the runtime writes one; log tails end with the cause). */
  static String lastLine(String terminationMessage) {
    if (terminationMessage == null) {
      return "";
    }
    String line = terminationMessage.strip().lines().reduce((a, b) -> b).orElse("").strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
