package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The {@code interestModelTraining} section of a {@link JobKind#InterestModelTraining} Job config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InterestModelTrainingSettings(
        @JsonPropertyDescription("Cluster-set artifact directory; its dataset sub-directory is the engagement log.")
        String clusters,
        @JsonPropertyDescription("Interest-model artifact directory to write.")
        String output,
        @JsonPropertyDescription("FineTune (a pretrained LLM with a LoRA adapter) or FromScratch (a small transformer).")
        Method method,
        @JsonPropertyDescription("FineTune: the base model, a name in the model cache or an absolute path (absent: the"
                + " built-in default).")
        String baseModel,
        @JsonPropertyDescription("FineTune: the sha256 the base model's file must have.")
        String baseModelSha256,
        @JsonPropertyDescription("FineTune: LoRA rank.")
        Integer loraRank,
        @JsonPropertyDescription("FineTune: most curated examples fine-tuned on (a seeded sample).")
        Integer maxExamples,
        @JsonPropertyDescription("FromScratch: hidden size.")
        Integer hidden,
        @JsonPropertyDescription("FromScratch: transformer blocks.")
        Integer layers,
        @JsonPropertyDescription("k: distinct clusters per history.")
        Integer historyLength,
        @JsonPropertyDescription("Maximum epochs.")
        Integer epochs,
        @JsonPropertyDescription("Batch size.")
        Integer batchSize,
        @JsonPropertyDescription("Learning rate.")
        Double learningRate,
        @JsonPropertyDescription("Random seed (sampling, initialisation, held-out split).")
        Long seed,
        @JsonPropertyDescription("Most held-out cases the gates decode.")
        Integer maxGateCases) {

    /** How the novel-interest model is made. */
    public enum Method { FineTune, FromScratch }
}
