package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One offline job's input: the YAML file the operator writes into a ConfigMap and the job reads with
 * {@code serendip job --config}. Exactly the section matching {@link #kind()} is present.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobConfig(
        @JsonPropertyDescription("Config schema version; must be " + RuntimeConfig.API_VERSION + ".")
        String apiVersion,
        @JsonPropertyDescription("ClusterBuild, InterestModelTraining, RecommenderTraining, NoveltyPrecompute, NoveltyMerge or"
                + " ArtifactCleanup.")
        JobKind kind,
        @JsonPropertyDescription("ClusterBuild only.")
        ClusterBuildSettings clusterBuild,
        @JsonPropertyDescription("InterestModelTraining only.")
        InterestModelTrainingSettings interestModelTraining,
        @JsonPropertyDescription("RecommenderTraining only.")
        RecommenderTrainingSettings recommenderTraining,
        @JsonPropertyDescription("NoveltyPrecompute only.")
        NoveltyPrecomputeSettings noveltyPrecompute,
        @JsonPropertyDescription("NoveltyMerge only.")
        NoveltyMergeSettings noveltyMerge,
        @JsonPropertyDescription("ArtifactCleanup only.")
        ArtifactCleanupSettings artifactCleanup) {

    public static JobConfig clusterBuild(ClusterBuildSettings settings) {
        return new JobConfig(RuntimeConfig.API_VERSION, JobKind.ClusterBuild,
                settings, null, null, null, null, null);
    }

    public static JobConfig interestModelTraining(InterestModelTrainingSettings settings) {
        return new JobConfig(RuntimeConfig.API_VERSION, JobKind.InterestModelTraining,
                null, settings, null, null, null, null);
    }

    public static JobConfig recommenderTraining(RecommenderTrainingSettings settings) {
        return new JobConfig(RuntimeConfig.API_VERSION, JobKind.RecommenderTraining,
                null, null, settings, null, null, null);
    }

    public static JobConfig noveltyPrecompute(NoveltyPrecomputeSettings settings) {
        return new JobConfig(RuntimeConfig.API_VERSION, JobKind.NoveltyPrecompute,
                null, null, null, settings, null, null);
    }

    public static JobConfig noveltyMerge(NoveltyMergeSettings settings) {
        return new JobConfig(RuntimeConfig.API_VERSION, JobKind.NoveltyMerge,
                null, null, null, null, settings, null);
    }

    public static JobConfig artifactCleanup(ArtifactCleanupSettings settings) {
        return new JobConfig(RuntimeConfig.API_VERSION, JobKind.ArtifactCleanup,
                null, null, null, null, null, settings);
    }

    /** The section {@link #kind()} names (null when absent or when kind is missing). */
    public Object section() {
        if (kind == null) {
            return null;
        }
        return switch (kind) {
            case ClusterBuild -> clusterBuild;
            case InterestModelTraining -> interestModelTraining;
            case RecommenderTraining -> recommenderTraining;
            case NoveltyPrecompute -> noveltyPrecompute;
            case NoveltyMerge -> noveltyMerge;
            case ArtifactCleanup -> artifactCleanup;
        };
    }
}
