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
import io.serendip.operator.workload.PodSpecInput;
import io.serendip.operator.workload.PodTemplates;
import io.serendip.operator.workload.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

  /** The runtime's name of a catalog format ({@code job build-cluster-set --catalog-format}). */
  static String catalogFormat(InterestClusterSetSpec.CatalogFormat format) {
    return switch (format) {
      case MovieLens100K -> "movielens-100k";
      case Sequences -> "sequences";
      case Dataset -> "dataset";
    };
  }

  static Job build(InterestClusterSet cs) {
    InterestClusterSetSpec s = cs.getSpec();
    // Only the levels down to the serving one: k-means is top-down, so finer levels would not change it.
    int serving = s.servingLevel == null ? 0 : s.servingLevel;
    List<String> args = new ArrayList<>(List.of(
        "job", "build-cluster-set",
        "--catalog-format", catalogFormat(s.catalog.format),
        "--catalog", s.catalog.path,
        "--embedding", s.embedding.source == InterestClusterSetSpec.EmbeddingSource.ItemTextEncoder ? "text" : "cooccurrence",
        "--levels", s.levels.stream().limit(serving + 1L).map(l -> l.clusters.toString()).collect(Collectors.joining(",")),
        "--keywords", Integer.toString(s.describer == null ? 5 : s.describer.keywords),
        "--seed", Long.toString(s.seed == null ? 42L : s.seed),
        "--output", ClusterSetVersion.artifactPath(cs)));
    if (s.embedding.source == InterestClusterSetSpec.EmbeddingSource.CoOccurrence) {
      args.addAll(List.of("--dimension", Integer.toString(s.embedding.dimension)));
    } else {
      args.addAll(List.of("--text-model", s.embedding.encoder));
    }
    PodSpecInput pod = new PodSpecInput(COMPONENT, args, null, s.pod, s.storage, null, null, false);
    return new JobBuilder()
        .withMetadata(Workloads.meta(cs, ClusterSetVersion.buildJobName(cs), COMPONENT))
        .withNewSpec()
        .withBackoffLimit(2)
        .withTemplate(PodTemplates.build(cs, pod))
        .endSpec()
        .build();
  }
}
