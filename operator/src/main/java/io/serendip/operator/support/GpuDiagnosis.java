package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Collection;
import java.util.Optional;

/**
 * Finds pods that request GPUs and that the scheduler could not place, and returns the scheduler's
 * message, so the owner can report InsufficientGPU instead of leaving a silently Pending pod.
 */
public final class GpuDiagnosis {
  private GpuDiagnosis() {}

  public static Optional<String> unschedulableGpuPod(Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (!requestsGpu(pod) || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
        continue;
      }
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason())
            // a claim that cannot be bound is the storage's problem, whatever the pod requests
            && (c.getMessage() == null || !c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("persistentvolumeclaim"))) {
          return Optional.of("pod " + pod.getMetadata().getName() + ": " + c.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  static boolean requestsGpu(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return false;
    }
    for (Container c : pod.getSpec().getContainers()) {
      var limits = c.getResources() == null ? null : c.getResources().getLimits();
      if (limits != null && limits.containsKey("nvidia.com/gpu")) {
        return true;
      }
    }
    return false;
  }
}
