package io.serendip.operator.clusterset;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.serendip.operator.support.CompactItemStore;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.serendip.operator.api.InterestClusterSet;
import io.serendip.operator.api.InterestClusterSetSpec;
import io.serendip.config.ClusterBuildSettings;
import io.serendip.config.JobConfig;
import io.serendip.operator.workload.JobConfigMaps;
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;
import java.util.Map;

/**
 * The build Job of the current cluster-set version. Jobs are immutable, so a new version gets a new
 * Job (named by version) and this dependent only ever creates.
 */
@KubernetesDependent(informer = @Informer(labelSelector = "app.kubernetes.io/component=cluster-build", itemStore = CompactItemStore.class))
public class ClusterBuildJob extends KubernetesDependentResource<Job, InterestClusterSet>
    implements Creator<Job, InterestClusterSet>, GarbageCollected<InterestClusterSet> {
  public static final String COMPONENT = "cluster-build";

  public ClusterBuildJob() {
    super(Job.class);
  }

  @Override
  protected Job desired(InterestClusterSet cs, Context<InterestClusterSet> context) {
    return build(cs);
  }

  /** The Job's config file inside its ConfigMap (named like the Job). */
  static final String CONFIG_FILE = "build.yaml";

  /** The typed input of the build Job. */
  static JobConfig config(InterestClusterSet cs) {
    InterestClusterSetSpec s = cs.getSpec();
    // Only the levels down to the serving one: k-means is top-down, so finer levels would not change it.
    int serving = s.servingLevel == null ? 0 : s.servingLevel;
    boolean text = s.embedding.source == InterestClusterSetSpec.EmbeddingSource.ItemTextEncoder;
    return JobConfig.clusterBuild(new ClusterBuildSettings(
        ClusterBuildSettings.CatalogFormat.valueOf(s.catalog.format.name()),
        s.catalog.path,
        text ? ClusterBuildSettings.Embedding.ItemTextEncoder : ClusterBuildSettings.Embedding.CoOccurrence,
        text ? null : s.embedding.dimension,
        text ? s.embedding.encoder : null,
        s.levels.stream().limit(serving + 1L).map(l -> l.clusters).toList(),
        s.describer == null ? 5 : s.describer.keywords,
        s.seed == null ? 42L : s.seed,
        ClusterSetVersion.artifactPath(cs)));
  }

  static Map<String, JobConfig> configFiles(InterestClusterSet cs) {
    return Map.of(CONFIG_FILE, config(cs));
  }

  static Job build(InterestClusterSet cs) {
    InterestClusterSetSpec s = cs.getSpec();
    String name = ClusterSetVersion.buildJobName(cs);
    PodSpecInput pod = new PodSpecInput(COMPONENT, JobConfigMaps.args(CONFIG_FILE), null, s.pod, s.storage, name,
        null, false);
    return new JobBuilder()
        .withMetadata(Workloads.meta(cs, name, COMPONENT))
        .withNewSpec()
        .withBackoffLimit(2)
        .withTemplate(PodTemplates.build(cs, pod))
        .endSpec()
        .build();
  }
}
