package io.serendip.config;

/** Which offline job a {@link JobConfig} is for; each kind carries exactly one matching section. */
public enum JobKind {
    /** Import a catalog, embed its items, build the interest clusters (an InterestClusterSet's Job). */
    ClusterBuild,
    /** Fine-tune (or train from scratch) the novel-interest model and gate it (an InterestModel's training Job). */
    InterestModelTraining,
    /** Train the transformer sequence recommender (a RecommenderModel's training Job). */
    RecommenderTraining,
    /** One shard of the novelty-table precompute (a pod of an Indexed Job). */
    NoveltyPrecompute,
    /** Merge the precomputed shards into one table, after the model's quality gates. */
    NoveltyMerge,
    /** Delete artifact directories of retired versions. */
    ArtifactCleanup
}
