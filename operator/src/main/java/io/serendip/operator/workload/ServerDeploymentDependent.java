package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The server Deployment; its pod template carries the config hash so a config change rolls it. */
public abstract class ServerDeploymentDependent<P extends HasMetadata>
    extends CRUDKubernetesDependentResource<Deployment, P> {
  protected ServerDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(P primary, Context<P> context) {
    ServerPlan plan = ServerPlan.get(context);
    return plan.replicas() == null
        ? Workloads.deploymentWithoutReplicas(primary, plan.name(), plan.pod())
        : Workloads.deployment(primary, plan.name(), plan.replicas(), plan.pod());
  }
}
