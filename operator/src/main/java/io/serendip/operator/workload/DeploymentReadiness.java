package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * Readiness of a server Deployment as Kubernetes reports it. {@code updating}: pods of an older template are still
 * there (a rolling update in progress, or stuck because the new pods cannot run while the old ones serve).
 */
public record DeploymentReadiness(int desired, int ready, boolean rolledOut, boolean updating) {
  public static DeploymentReadiness of(Optional<Deployment> deployment) {
    if (deployment.isEmpty()) {
      return new DeploymentReadiness(0, 0, false, false);
    }
    Deployment d = deployment.get();
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s == null) {
      return new DeploymentReadiness(desired, 0, false, false);
    }
    int ready = s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    int updated = s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
    boolean observed = s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    int pods = s.getReplicas() == null ? 0 : s.getReplicas();
    return new DeploymentReadiness(desired, ready, observed && updated >= desired && ready >= desired,
        !observed || pods > updated);
  }

  /** Ready to take traffic: rolled out, and at least one pod ready unless scaled to zero. */
  public boolean available() {
    return rolledOut && (desired == 0 || ready > 0);
  }
}
