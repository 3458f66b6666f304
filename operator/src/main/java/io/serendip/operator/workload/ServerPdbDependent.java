package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** Keeps voluntary disruptions (drains) to one server pod at a time. */
public abstract class ServerPdbDependent<P extends HasMetadata>
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, P> {
  protected ServerPdbDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(P primary, Context<P> context) {
    ServerPlan plan = ServerPlan.get(context);
    return Workloads.pdb(primary, plan.name(), plan.component());
  }
}
