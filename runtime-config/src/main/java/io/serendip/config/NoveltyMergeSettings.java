package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The {@code noveltyMerge} section of a {@link JobKind#NoveltyMerge} Job config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NoveltyMergeSettings(
        @JsonPropertyDescription("Directory holding the precompute's shard files.")
        String shards,
        @JsonPropertyDescription("Cluster-set artifact directory the shards were computed for.")
        String clusters,
        @JsonPropertyDescription("Novelty-table artifact directory to write.")
        String output,
        @JsonPropertyDescription("Interest-model artifact whose recorded gate metrics are checked first.")
        String interestModel,
        @JsonPropertyDescription("Refuse (exit 3) when the model's exact-match rate is lower.")
        Double minExactMatchRate,
        @JsonPropertyDescription("Refuse (exit 3) when the model's held-out recall is lower.")
        Double minRecall) {
}
