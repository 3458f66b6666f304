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
import io.serendip.operator.api.InterestModelEngine;
import io.serendip.operator.api.InterestModelSpec;
import io.serendip.operator.support.CompactItemStore;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;

/**
 * Indexed Job: pod i (JOB_COMPLETION_INDEX) precomputes the novel clusters of the histories in shard
 * i, on the model's GPUs. Created once per table version (Jobs are immutable).
 */
@KubernetesDependent(informer = @Informer(labelSelector = InterestModelReconciler.PRECOMPUTE_SELECTOR, itemStore = CompactItemStore.class))
public class NoveltyPrecomputeJob extends KubernetesDependentResource<Job, InterestModel>
    implements Creator<Job, InterestModel>, GarbageCollected<InterestModel> {
  public static final String COMPONENT = "novelty-precompute";

  public NoveltyPrecomputeJob() {
    super(Job.class);
  }

  @Override
  protected Job desired(InterestModel im, Context<InterestModel> context) {
    return build(im, PrecomputePlan.get(context));
  }

  static Job build(InterestModel im, PrecomputePlan plan) {
    InterestModelSpec s = im.getSpec();
    var precompute = NoveltyTableVersion.precompute(s);
    // Every pod reads the same config; the Job controller gives each its JOB_COMPLETION_INDEX, its shard.
    PodSpecInput pod = new PodSpecInput(COMPONENT, JobConfigMaps.args(PrecomputePlan.PRECOMPUTE_FILE), s.resources,
        s.pod, s.storage, plan.table().jobConfigMap(), null, false,
        s.engine == InterestModelEngine.Transformers);
    return new JobBuilder()
        .withMetadata(Workloads.meta(im, plan.table().precomputeJob(), COMPONENT))
        .withNewSpec()
        .withCompletionMode("Indexed")
        .withCompletions(precompute.shards)
        .withParallelism(precompute.parallelism)
        .withBackoffLimit(3)
        .withTemplate(PodTemplates.build(im, pod))
        .endSpec()
        .build();
  }
}
