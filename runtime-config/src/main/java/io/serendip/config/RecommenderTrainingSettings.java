package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The {@code recommenderTraining} section of a {@link JobKind#RecommenderTraining} Job config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecommenderTrainingSettings(
        @JsonPropertyDescription("Cluster-set artifact directory; its dataset sub-directory is the engagement log.")
        String clusters,
        @JsonPropertyDescription("Recommender artifact directory to write.")
        String output,
        @JsonPropertyDescription("Longest history read.")
        Integer maxLength,
        @JsonPropertyDescription("Hidden size.")
        Integer hidden,
        @JsonPropertyDescription("Self-attention blocks.")
        Integer layers,
        @JsonPropertyDescription("Attention heads.")
        Integer heads,
        @JsonPropertyDescription("Maximum epochs.")
        Integer epochs,
        @JsonPropertyDescription("Batch size.")
        Integer batchSize,
        @JsonPropertyDescription("Learning rate.")
        Double learningRate,
        @JsonPropertyDescription("Random seed.")
        Long seed) {
}
