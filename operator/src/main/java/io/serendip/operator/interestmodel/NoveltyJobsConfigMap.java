package io.serendip.operator.interestmodel;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.JobConfigMapDependent;
import io.serendip.operator.workload.JobConfigMaps;

/** The typed configs of one table version's precompute and merge Jobs. */
@KubernetesDependent(informer = @Informer(labelSelector = InterestModelReconciler.NOVELTY_JOBS_SELECTOR,
    itemStore = CompactItemStore.class))
public class NoveltyJobsConfigMap extends JobConfigMapDependent<InterestModel> {
  public static final String COMPONENT = "novelty-jobs";

  @Override
  protected ConfigMap desired(InterestModel im, Context<InterestModel> context) {
    PrecomputePlan plan = PrecomputePlan.get(context);
    return JobConfigMaps.configMap(im, plan.table().jobConfigMap(), COMPONENT, plan.jobConfigs(im));
  }
}
