package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the operator trains the transformer sequence recommender in the cluster: a Job on the cluster set's dataset
 * whose artifact is versioned by a hash of its inputs (cluster-set version and these settings).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.hidden) || !has(self.heads) || self.hidden % self.heads == 0",
    message = "heads must divide hidden",
    fieldPath = ".heads")
public class RecommenderTraining {
  @Min(2)
  @Max(10000)
  @JsonPropertyDescription("Longest history read (default 50).")
  public Integer maxLength;

  @Min(8)
  @Max(4096)
  @JsonPropertyDescription("Hidden size (default 64).")
  public Integer hidden;

  @Min(1)
  @Max(48)
  @JsonPropertyDescription("Self-attention blocks (default 2).")
  public Integer layers;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Attention heads (default 2).")
  public Integer heads;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Maximum epochs, with early stopping on held-out users (default 200).")
  public Integer epochs;

  @Min(1)
  @Max(65536)
  @JsonPropertyDescription("Batch size (default 128).")
  public Integer batchSize;

  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Learning rate (default 0.001).")
  public Double learningRate;

  @Default("42")
  @JsonPropertyDescription("Random seed.")
  public Long seed = 42L;

  @Min(0)
  @Max(100)
  @Default("2")
  @JsonPropertyDescription("Old training versions kept, besides the one asked for and the one serving (default 2);"
      + " older ones lose their Job, their Job config and their artifact directory.")
  public Integer revisionHistoryLimit = 2;

  @JsonPropertyDescription("CPU, memory and GPUs of the training Job's pod.")
  public ModelResources resources;
}
