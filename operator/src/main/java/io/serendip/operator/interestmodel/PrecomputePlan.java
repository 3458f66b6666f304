package io.serendip.operator.interestmodel;

import io.serendip.config.ArtifactLayout;
import io.serendip.config.JobConfig;
import io.serendip.config.NoveltyMergeSettings;
import io.serendip.config.NoveltyPrecomputeSettings;
import io.serendip.operator.api.InterestModel;
import io.serendip.operator.api.InterestModelSpec;
import java.util.Map;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The precompute inputs one reconcile hands to the two Job dependents. */
record PrecomputePlan(NoveltyTableVersion table, String clustersPath, String artifactPath) {
  static final String PRECOMPUTE_FILE = "precompute.yaml";
  static final String MERGE_FILE = "merge.yaml";

  /** The typed inputs of the precompute (one config for every shard pod) and of the merge. */
  Map<String, JobConfig> jobConfigs(InterestModel im) {
    InterestModelSpec s = im.getSpec();
    String shards = ArtifactLayout.join(table.directory(), ArtifactLayout.NOVELTY_SHARDS_DIR);
    var gates = NoveltyTableVersion.gates(s);
    return Map.of(
        PRECOMPUTE_FILE, JobConfig.noveltyPrecompute(new NoveltyPrecomputeSettings(clustersPath, artifactPath,
            s.historyLength, s.candidates, NoveltyTableVersion.decoding(s).beamWidth,
            NoveltyTableVersion.precompute(s).shards, shards)),
        MERGE_FILE, JobConfig.noveltyMerge(new NoveltyMergeSettings(shards, clustersPath, table.directory(),
            artifactPath, gates.minExactMatchRate, gates.minRecall)));
  }

  private static final String KEY = "serendip.precomputePlan";

  static void put(Context<?> context, PrecomputePlan plan) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, plan);
  }

  static PrecomputePlan get(Context<?> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, PrecomputePlan.class);
  }
}
