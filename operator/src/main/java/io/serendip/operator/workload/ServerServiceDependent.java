package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The ClusterIP Service in front of the server pods. */
public abstract class ServerServiceDependent<P extends HasMetadata> extends CRUDKubernetesDependentResource<Service, P> {
  protected ServerServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(P primary, Context<P> context) {
    ServerPlan plan = ServerPlan.get(context);
    return Workloads.service(primary, plan.name(), plan.component());
  }
}
