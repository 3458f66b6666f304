package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The {@code noveltyPrecompute} section of a {@link JobKind#NoveltyPrecompute} Job config. Each pod of the Indexed
 * Job computes shard {@code JOB_COMPLETION_INDEX} of {@link #shards()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NoveltyPrecomputeSettings(
        @JsonPropertyDescription("Cluster-set artifact directory; its dataset sub-directory is the engagement log.")
        String clusters,
        @JsonPropertyDescription("Interest-model artifact directory that proposes the main rows.")
        String interestModel,
        @JsonPropertyDescription("k: distinct clusters per history.")
        Integer historyLength,
        @JsonPropertyDescription("Novel clusters per row.")
        Integer candidates,
        @JsonPropertyDescription("Beam width of the constrained search (absent: the one the model was trained with).")
        Integer beamWidth,
        @JsonPropertyDescription("Shard count: shard i covers histories with index % shards == i.")
        Integer shards,
        @JsonPropertyDescription("Directory collecting the shard files for the merge.")
        String output) {
}
