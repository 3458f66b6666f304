package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.Pod;
import io.serendip.operator.workload.DeploymentReadiness;
import java.util.Collection;
import java.util.Optional;

/** Shared condition logic of the kinds that run servers: references, GPU capacity, readiness. */
public final class ServingConditions {
  private ServingConditions() {}

  /** References are missing or not ready: nothing is applied, the owner waits for a watch event. */
  public static void referencesNotReady(Conditions c, String reason, String message) {
    c.set(Conditions.REFERENCES_READY, false, reason, message)
        .set(Conditions.READY, false, reason, message)
        .set(Conditions.RECONCILING, false, reason, "")
        .set(Conditions.STALLED, true, reason, message);
  }

  /** Config rejected by the runtime's own validator: a user error, not something a retry fixes. */
  public static void invalidConfig(Conditions c, String message) {
    c.set(Conditions.REFERENCES_READY, true, "Resolved", "")
        .set(Conditions.READY, false, "InvalidConfig", message)
        .set(Conditions.RECONCILING, false, "InvalidConfig", "")
        .set(Conditions.STALLED, true, "InvalidConfig", message);
  }

  /**
   * Applied: Ready when the Deployment is rolled out and {@code extraReady} holds; InsufficientGPU
   * (and Stalled) when a GPU pod cannot be scheduled; the kubelet's reason (and Stalled) when a server pod
   * cannot run: its image missing on the node, a bad container config, a crash loop (with its last exit,
   * e.g. OOMKilled). While the previous pods still serve an update whose new pods cannot run, the owner stays
   * Ready and is Stalled with the kubelet's reason.
   */
  public static void applied(Conditions c, DeploymentReadiness serving, Collection<Pod> pods,
      boolean extraReady, String waitingFor) {
    c.set(Conditions.REFERENCES_READY, true, "Resolved", "all references are ready");
    Optional<String> gpu = GpuDiagnosis.unschedulableGpuPod(pods);
    if (gpu.isPresent()) {
      c.set(Conditions.INSUFFICIENT_GPU, true, "InsufficientGPU", gpu.get());
    } else {
      c.set(Conditions.INSUFFICIENT_GPU, false, "Scheduled", "");
    }
    boolean ready = serving.available() && extraReady;
    // A serving Deployment is still diagnosed while it updates: new pods that cannot run (OOM-killed, image
    // missing) stall the update although the previous pods keep serving.
    Optional<ContainerDiagnosis.Problem> broken = gpu.isPresent() || (ready && !serving.updating())
        ? Optional.empty() : ContainerDiagnosis.firstProblem(pods);
    if (broken.isPresent() && ready) {
      ContainerDiagnosis.Problem p = broken.get();
      c.set(Conditions.READY, true, "Available", serving.ready() + "/" + serving.desired()
              + " servers ready (previous version); the update is stuck: " + p.message())
          .set(Conditions.RECONCILING, false, p.reason(), "")
          .set(Conditions.STALLED, true, p.reason(), p.message());
    } else if (broken.isPresent()) {
      ContainerDiagnosis.Problem p = broken.get();
      c.set(Conditions.READY, false, p.reason(), p.message())
          .set(Conditions.RECONCILING, false, p.reason(), "")
          .set(Conditions.STALLED, true, p.reason(), p.message());
    } else if (ready) {
      c.set(Conditions.READY, true, "Available", serving.ready() + "/" + serving.desired() + " servers ready")
          .set(Conditions.RECONCILING, false, "Available", "")
          .set(Conditions.STALLED, false, "Available", "");
    } else {
      String msg = !serving.available()
          ? "waiting for servers: " + serving.ready() + "/" + serving.desired() + " ready"
          : waitingFor;
      c.set(Conditions.READY, false, gpu.isPresent() ? "InsufficientGPU" : "Progressing", gpu.orElse(msg))
          .set(Conditions.RECONCILING, gpu.isEmpty(), "Progressing", msg)
          .set(Conditions.STALLED, gpu.isPresent(), gpu.isPresent() ? "InsufficientGPU" : "Progressing",
              gpu.orElse(""));
    }
  }
}
