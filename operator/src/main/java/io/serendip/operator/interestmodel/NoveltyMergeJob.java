package io.serendip.operator.interestmodel;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelSpec;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;

/**
 * Merges the precomputed shards into one novelty table and enforces the quality gates: the Job fails
 * (and the table is not published) when exact-match rate or recall is below its gate.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InterestModelReconciler.MERGE_SELECTOR, itemStore = CompactItemStore.class))
public class NoveltyMergeJob extends KubernetesDependentResource<Job, InterestModel>
    implements Creator<Job, InterestModel>, GarbageCollected<InterestModel> {
  public static final String COMPONENT = "novelty-merge";

  public NoveltyMergeJob() {
    super(Job.class);
  }

  @Override
  protected Job desired(InterestModel im, Context<InterestModel> context) {
    return build(im, PrecomputePlan.get(context));
  }

  static Job build(InterestModel im, PrecomputePlan plan) {
    InterestModelSpec s = im.getSpec();
    PodSpecInput pod = new PodSpecInput(COMPONENT, JobConfigMaps.args(PrecomputePlan.MERGE_FILE), null, s.pod,
        s.storage, plan.table().jobConfigMap(), null, false);
    return new JobBuilder()
        .withMetadata(Workloads.meta(im, plan.table().mergeJob(), COMPONENT))
        .withNewSpec()
        .withBackoffLimit(1)
        .withTemplate(PodTemplates.build(im, pod))
        .endSpec()
        .build();
  }
}
