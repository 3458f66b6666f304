package io.serendip.operator.clusterset;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.JobConfigMapDependent;
import io.serendip.operator.workload.JobConfigMaps;

/** The build Job's typed config, named like the Job of the current cluster-set version. */
@KubernetesDependent(informer = @Informer(labelSelector = "app.kubernetes.io/component=" + ClusterBuildJob.COMPONENT,
    itemStore = CompactItemStore.class))
public class ClusterBuildConfigMap extends JobConfigMapDependent<InterestClusterSet> {
  @Override
  protected ConfigMap desired(InterestClusterSet cs, Context<InterestClusterSet> context) {
    return JobConfigMaps.configMap(cs, ClusterSetVersion.buildJobName(cs), ClusterBuildJob.COMPONENT,
        ClusterBuildJob.configFiles(cs));
  }
}
