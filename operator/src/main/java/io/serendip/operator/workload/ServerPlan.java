package io.serendip.operator.workload;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.serendip.config.RuntimeConfig;

/**
 * What the server dependents of one reconcile apply, computed once by the reconciler (after it has
 * resolved references) and handed to the dependents through the workflow context.
 *
 * @param name name of the Deployment and Service (the ConfigMap is name-config)
 * @param config runtime config written into the ConfigMap
 * @param pod pod shape (its configHash is the hash of config)
 * @param replicas Deployment replicas, or null when an autoscaler owns them
 */
public record ServerPlan(String name, RuntimeConfig config, PodSpecInput pod, Integer replicas) {
  private static final String KEY = "serendip.serverPlan";

  public String configMapName() {
    return name + "-config";
  }

  public String component() {
    return pod.component();
  }

  public static void put(Context<?> context, ServerPlan plan) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, plan);
  }

  public static ServerPlan get(Context<?> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, ServerPlan.class);
  }
}
