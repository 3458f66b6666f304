package io.serendip.operator.workload;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;

/**
 * The Job configs of one Job version. Like the Jobs, created once per version and never updated; deleted with the
 * owner.
 */
public abstract class JobConfigMapDependent<P extends HasMetadata> extends KubernetesDependentResource<ConfigMap, P>
    implements Creator<ConfigMap, P>, GarbageCollected<P> {
  protected JobConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected abstract ConfigMap desired(P primary, Context<P> context);
}
