package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The server's runtime config, applied with server-side apply. */
public abstract class ServerConfigMapDependent<P extends HasMetadata> extends CRUDKubernetesDependentResource<ConfigMap, P> {
  protected ServerConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(P primary, Context<P> context) {
    ServerPlan plan = ServerPlan.get(context);
    return Workloads.configMap(primary, plan.configMapName(), plan.component(), plan.config());
  }
}
